using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>
/// `dotnet pack src/Harness` makes a .NET tool, `verify`, under a package id that is not NuGet's
/// `Verify`; it installs into a tool path from the package alone and runs. Packs the build the
/// tests run on (no build of its own), into a temporary directory.
/// </summary>
public sealed class PackagingTests : IDisposable
{
    private const string PackageId = "Verify.KernelChecker";
    private readonly string dir = Directory.CreateTempSubdirectory("verify-pack-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Pack_MakesATool_ThatInstallsIntoAToolPath_AndRunsAsVerify()
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string packages = Path.Combine(dir, "packages");
        Run("pack", Path.Combine(Repo.Root, "src", "Harness"), "-c", configuration, "--no-build", "--no-restore", "-o", packages);

        string package = Assert.Single(Directory.GetFiles(packages, "*.nupkg"));
        Assert.StartsWith(PackageId + ".", Path.GetFileName(package));
        using (ZipArchive zip = ZipFile.OpenRead(package))
        {
            XDocument nuspec = XDocument.Load(zip.Entries.Single(e => e.FullName == PackageId + ".nuspec").Open());
            XNamespace ns = nuspec.Root!.Name.Namespace;
            Assert.Equal(PackageId, nuspec.Root.Descendants(ns + "id").Single().Value);
            Assert.Equal("DotnetTool", nuspec.Root.Descendants(ns + "packageType").Single().Attribute("name")?.Value);

            XDocument settings = XDocument.Load(zip.Entries.Single(e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal)).Open());
            Assert.Equal("verify", settings.Descendants("Command").Single().Attribute("Name")?.Value);
            Assert.Equal("Verify.dll", settings.Descendants("Command").Single().Attribute("EntryPoint")?.Value);
        }

        // Only the package just made is a source: nothing is fetched.
        string config = Path.Combine(dir, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        string tools = Path.Combine(dir, "tools");
        Run("tool", "install", PackageId, "--tool-path", tools, "--configfile", config);

        (int code, string output) = Start(Path.Combine(tools, "verify"), ["test", "PingPong", "-i", "3", "--seed", "1", "-o", Path.Combine(dir, "out")]);
        Assert.True(code == 0, output);
        Assert.Contains("Test          Verify.Harness.Reference.PingPong.Execute", output);
        Assert.Contains("Result        no bug found (3 iterations", output);
    }

    [Fact]
    public void TheToolsPackageId_IsNotNuGetsVerify()
    {
        XDocument project = XDocument.Load(Path.Combine(Repo.Root, "src", "Harness", "Harness.csproj"));
        string Property(string name) => project.Descendants(name).Single().Value;

        Assert.Equal("true", Property("PackAsTool"));
        Assert.Equal("verify", Property("ToolCommandName"));
        Assert.Equal(PackageId, Property("PackageId"));
    }

    private void Run(params string[] args)
    {
        (int code, string output) = Start(Dotnet(), args);
        Assert.True(code == 0, $"dotnet {string.Join(' ', args)} exited {code}:\n{output}");
    }

    private (int Code, string Output) Start(string program, string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        // The installed tool's launcher finds the runtime the tests run on, wherever it is installed.
        start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(Installed(Dotnet()));
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        // The install extracts the package into a folder of this test's own: the user's NuGet cache may hold an older build of the same version.
        start.Environment["NUGET_PACKAGES"] = Path.Combine(dir, "nuget-cache");
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process p = Process.Start(start)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} did not finish in two minutes");
        }

        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private static string Dotnet() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>The file a command runs: found on PATH when not a path, with symbolic links followed.</summary>
    private static string Installed(string command)
    {
        string path = Path.IsPathRooted(command)
            ? command
            : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Select(d => Path.Combine(d, command)).FirstOrDefault(File.Exists) ?? command;
        return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
    }
}
