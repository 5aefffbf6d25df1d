namespace Verify.Harness.Commands;

/// <summary>`verify list`: the tests of an assembly, or the built-in scenarios.</summary>
internal static class ListCommand
{
    private static readonly IReadOnlyList<OptionSpec> Specs = [TestCommand.Help];

    internal static ExitCode Run(string[] args, TextWriter stdout)
    {
        Options o = Options.Parse(args, Specs, "list");
        if (Cli.WantsHelp(o, stdout, "Usage: verify list [assembly.dll]", Specs))
        {
            return ExitCode.Success;
        }

        if (o.Positionals.Count > 1 || (o.Positionals.Count == 1 && !TestRegistry.IsAssemblyPath(o.Positionals[0])))
        {
            throw new UsageException("`verify list` takes at most one assembly (.dll) path.");
        }

        foreach (TestCase t in TestRegistry.From(o.Positionals.FirstOrDefault(), out _))
        {
            stdout.WriteLine(t.FullName);
        }

        return ExitCode.Success;
    }
}
