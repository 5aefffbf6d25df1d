using Verify.Traces;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>Every trace committed under traces/ still replays to the bug its header records.</summary>
public sealed class CommittedTraceTests
{
    private static string RepoRoot()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Verify.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Verify.sln not found above the test assembly.");
        }

        return root;
    }

    public static TheoryData<string> Traces()
    {
        string root = RepoRoot();
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(Path.Combine(root, "traces"), "*.trace", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(root, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Traces))]
    public void CommittedTrace_ReplaysToItsRecordedBug(string relativePath)
    {
        string path = Path.Combine(RepoRoot(), relativePath);
        Trace trace = TraceReader.ReadFile(path);
        var o = new StringWriter();
        var e = new StringWriter();
        ExitCode code = Cli.Run(["replay", path], o, e);

        Assert.True(code == ExitCode.BugFound, $"{relativePath}: exit {code}\n{o}\n{e}");
        Assert.Contains($"Reproduced    {trace.Bug}", o.ToString(), StringComparison.Ordinal);
    }
}
