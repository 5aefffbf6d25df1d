using System.Globalization;
using Verify.SystematicTesting;

namespace Verify.Harness.Commands;

/// <summary>`verify check`: the main job. Runs every built-in scenario with one budget and prints a verdict table.</summary>
internal static class CheckCommand
{
    private static readonly IReadOnlyList<OptionSpec> Specs = TestCommand.Specs.Where(s => s.Name is not "method" and not "verbose" and not "shard" and not "no-coverage").ToList();

    internal static ExitCode Run(string[] args, TextWriter stdout)
    {
        Options o = Options.Parse(args, Specs, "check");
        if (Cli.WantsHelp(o, stdout, "Usage: verify check [options]   (runs every scenario of `verify list`; default 200 iterations, seed 0)", Specs))
        {
            return ExitCode.Success;
        }

        if (o.Positionals.Count > 0)
        {
            throw new UsageException("`verify check` takes no positional argument; use `verify test <scenario>` for one scenario.");
        }

        string outDir = o.String("outdir") ?? "verify-out";
        var rows = new List<string[]>();
        bool anyBug = false;
        bool anyError = false;
        foreach (TestCase test in TestRegistry.BuiltIn())
        {
            Configuration config = TestCommand.BuildConfiguration(o, fallbackIterations: 200);
            if (o.ULong("seed") is null)
            {
                config.WithRandomGeneratorSeed(0);
            }

            TestingEngine engine = Runner.Explore(test, config);
            TestReport r = engine.TestReport;
            string verdict;
            if (r.Error is not null)
            {
                anyError = true;
                verdict = "ERROR " + r.Error;
            }
            else if (r.Bug is not null)
            {
                anyBug = true;
                engine.TryEmitReports(outDir, r.TestName, out IReadOnlyList<string> paths);
                verdict = $"BUG {r.Bug.Kind} in iteration {r.BugIteration} -> {paths[0]}";
            }
            else
            {
                verdict = r.Exhausted
                    ? $"holds: every schedule within {r.MaxUnfairSteps} steps"
                    : $"no bug in {r.Iterations} iterations of at most {r.MaxSteps} steps ({r.StepBoundHits} hit the bound)";
            }

            rows.Add([test.FullName, r.Strategy, verdict, r.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s"]);
        }

        Table.Write(stdout, ["Scenario", "Strategy", "Verdict", "Time"], rows);
        return anyError ? ExitCode.Error : anyBug ? ExitCode.BugFound : ExitCode.Success;
    }
}
