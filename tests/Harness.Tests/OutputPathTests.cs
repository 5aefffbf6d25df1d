using Xunit;

namespace Verify.Harness.Tests;

/// <summary>Where a command writes is checked before it runs: a wrong path is a usage error (exit 1), never a checker bug.</summary>
public sealed class OutputPathTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("verify-paths-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static (ExitCode Code, string Out, string Err) Verify(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        ExitCode code = Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string AFile()
    {
        string f = Path.Combine(dir, "plain.txt");
        File.WriteAllText(f, "x");
        return f;
    }

    [Fact]
    public void Test_WithOutputDirThatIsAFile_ExitsOneBeforeRunning()
    {
        string file = AFile();
        var r = Verify("test", "PingPong", "-i", "2", "--seed", "1", "-o", file);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Equal($"verify: -o {file} is a file; give a directory for the output (e.g. -o verify-out).\n", r.Err);
        Assert.Equal(string.Empty, r.Out);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public void Test_WithOutputDirThatCannotBeCreated_ExitsOneWithTheReason()
    {
        string under = Path.Combine(AFile(), "sub");
        var r = Verify("test", "PingPong", "-i", "2", "--seed", "1", "-o", under);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.StartsWith($"verify: -o {under}: cannot write there (", r.Err);
        Assert.DoesNotContain("checker bug", r.Err);
        Assert.Equal(string.Empty, r.Out);
    }

    [Fact]
    public void Check_WithOutputDirThatIsAFile_ExitsOneBeforeRunning()
    {
        var r = Verify("check", "-i", "1", "-o", AFile());
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Contains("is a file; give a directory for the output", r.Err);
        Assert.Equal(string.Empty, r.Out);
    }

    [Fact]
    public void Replay_WithHtmlToADirectory_ExitsOneBeforeReplaying()
    {
        string trace = Directory.GetFiles(Path.Combine(Repo.Root, "traces", "kvm-rcu"), "*.trace").Order(StringComparer.Ordinal).First();
        var r = Verify("replay", trace, "--html", dir);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Equal($"verify: --html {dir} is a directory; give the file to write.\n", r.Err);
        Assert.Equal(string.Empty, r.Out);
    }

    [Fact]
    public void Replay_WithHtmlToAnUnwritablePath_ExitsOneBeforeReplaying()
    {
        string trace = Directory.GetFiles(Path.Combine(Repo.Root, "traces", "kvm-rcu"), "*.trace").Order(StringComparer.Ordinal).First();
        string html = Path.Combine(AFile(), "page.html");
        var r = Verify("replay", trace, "--html", html);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.StartsWith($"verify: --html {html}: cannot write there (", r.Err);
        Assert.Equal(string.Empty, r.Out);
    }

    [Fact]
    public void Merge_WithOutputDirThatIsAFile_ExitsOneBeforeReading()
    {
        string file = AFile();
        var r = Verify("merge", Path.Combine(dir, "missing.report.json"), "-o", file);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Equal($"verify: -o {file} is a file; give a directory for the output (e.g. -o verify-out).\n", r.Err);
    }

    [Theory]
    [InlineData("", "the file is empty, not a Verify report")]
    [InlineData("{ not json", "not a Verify report ('n' is an invalid start of a property name")]
    [InlineData("{\"name\": \"left-pad\", \"version\": \"1.0.0\"}", "not a Verify report (JSON deserialization for type 'Verify.Harness.ReportFile' was missing required properties")]
    [InlineData("{\"format\": \"other 2\", \"test\": \"t\", \"strategy\": \"s\"}", "not a Verify report: its format is 'other 2', not 'verify-report 1'")]
    public void Merge_OfAFileThatIsNoReport_SaysWhatIsWrongWithIt(string content, string expected)
    {
        string path = Path.Combine(dir, "shard.report.json");
        File.WriteAllText(path, content);
        var r = Verify("merge", path);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.StartsWith($"verify: {path}: {expected}", r.Err);
        Assert.DoesNotContain("no such report file", r.Err);
    }

    [Fact]
    public void Merge_OfADirectory_SaysItIsADirectory()
    {
        var r = Verify("merge", dir);
        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Equal($"verify: {dir} is a directory; give the report files (<test>.report.json) of the shards.\n", r.Err);
    }
}
