using Verify.Kernel.Memory.Litmus;

namespace Verify.Harness.Commands;

/// <summary>
/// `verify litmus`: searches every litmus test of the kernel's memory subsystem exhaustively in
/// each memory mode and prints the table of outcomes found beside those expected (docs/litmus.md).
/// Exit 2 when some outcome set differs from the expected one.
/// </summary>
internal static class LitmusCommand
{
    internal static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("out", ["-o"], true, "also write the table to this file (docs/litmus.md)", "FILE"),
        TestCommand.Help,
    ];

    internal const string UsageLine = "Usage: verify litmus [-o FILE]";

    internal static ExitCode Run(string[] args, TextWriter stdout)
    {
        Options o = Options.Parse(args, Specs, "litmus");
        if (Cli.WantsHelp(o, stdout, UsageLine, Specs))
        {
            return ExitCode.Success;
        }

        if (o.Positionals.Count > 0)
        {
            throw new UsageException($"`verify litmus` takes no test names; it runs them all. {UsageLine}");
        }

        IReadOnlyList<LitmusResult> results = LitmusExplorer.ExploreAll();
        string table = LitmusTable.Render(results);
        stdout.Write(table);
        if (o.String("out") is string path)
        {
            File.WriteAllText(path, table);
            stdout.WriteLine($"Wrote {path}");
        }

        List<LitmusResult> wrong = results.Where(r => !r.Matches).ToList();
        foreach (LitmusResult r in wrong)
        {
            stdout.WriteLine($"Mismatch: {r.Test.Name} under {r.Mode} reached {{{string.Join(" ", r.Found)}}}, expected {{{string.Join(" ", r.Expected)}}}.");
        }

        return wrong.Count == 0 ? ExitCode.Success : ExitCode.BugFound;
    }
}
