namespace Verify.Harness.Commands;

/// <summary>`verify list`: the tests of an assembly, or the built-in scenarios; `--params SCENARIO`: a scenario's parameters.</summary>
internal static class ListCommand
{
    internal static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("params", [], true, "SCENARIO: list the --param NAME=VALUE parameters of a protocol scenario, their defaults and meaning", "SCENARIO"),
        TestCommand.Help,
    ];

    internal const string UsageLine = "Usage: verify list [assembly.dll] | verify list --params <scenario>";

    internal static ExitCode Run(string[] args, TextWriter stdout)
    {
        Options o = Options.Parse(args, Specs, "list");
        if (Cli.WantsHelp(o, stdout, UsageLine, Specs))
        {
            return ExitCode.Success;
        }

        if (o.Positionals.Count > 1 || (o.Positionals.Count == 1 && !TestRegistry.IsAssemblyPath(o.Positionals[0])))
        {
            throw new UsageException("`verify list` takes at most one assembly (.dll) path.");
        }

        if (o.String("params") is string scenario)
        {
            return Parameters(scenario, stdout);
        }

        foreach (TestCase t in TestRegistry.From(o.Positionals.FirstOrDefault(), out _))
        {
            stdout.WriteLine(t.FullName);
        }

        return ExitCode.Success;
    }

    private static ExitCode Parameters(string scenario, TextWriter stdout)
    {
        TestCase test = TestRegistry.Select(TestRegistry.BuiltIn(), scenario, "built-in scenarios");
        if (ScenarioParams.Of(test) is not var (parameters, name))
        {
            throw new UsageException($"{test.FullName} takes no --param: parameters belong to protocol scenarios (e.g. `verify list --params C.GuestHlt.NoRcucWakeupEnteringIdle`).");
        }

        stdout.WriteLine($"Parameters of {test.FullName} (verify test {name} --param NAME=VALUE ...):");
        Table.Write(stdout, ["Name", "Default", "Meaning"], parameters.Describe(name)!.Select(p => new[] { p.Name, p.Default, p.Meaning }).ToList());
        return ExitCode.Success;
    }
}
