using System.Diagnostics;
using System.Globalization;
using Verify.SystematicTesting;

namespace Verify.Harness.Commands;

/// <summary>
/// `verify check`: the main job. Runs every built-in scenario with one budget and prints a verdict
/// table per namespace, with how much of each model's activity (states entered, handlers used)
/// the runs covered and whether that coverage was still growing, and a one-line summary. A model exception is an error, not a verdict.
/// </summary>
internal static class CheckCommand
{
    internal const int DefaultIterations = 200;

    /// <summary>`verify test`'s options but those that select or shape one test, with check's own defaults.</summary>
    internal static readonly IReadOnlyList<OptionSpec> Specs = TestCommand.Specs
        .Where(s => s.Name is not "method" and not "verbose" and not "shard" and not "no-coverage" and not "param")
        .Select(s => s.Name switch
        {
            "iterations" => s with { Help = $"iterations per scenario (default {DefaultIterations})" },
            "seed" => s with { Help = "run seed (default 0, so two runs give the same table)" },
            "outdir" => s with { Help = "where bug traces and reports go (default ./verify-out)" },
            _ => s,
        })
        .ToList();

    internal const string UsageLine = "Usage: verify check [options]   (runs every scenario of `verify list`)";

    internal static ExitCode Run(string[] args, TextWriter stdout) =>
        Run(args, stdout, TestRegistry.BuiltIn(), Progress.ForTerminal(stdout));

    internal static ExitCode Run(string[] args, TextWriter stdout, IReadOnlyList<TestCase> tests, Progress? progress = null)
    {
        Options o = Options.Parse(args, Specs, "check");
        if (Cli.WantsHelp(o, stdout, UsageLine, Specs))
        {
            return ExitCode.Success;
        }

        if (o.Positionals.Count > 0)
        {
            throw new UsageException("`verify check` takes no positional argument; use `verify test <scenario>` for one scenario.");
        }

        string outDir = OutputPaths.WritableDirectory(o.String("outdir") ?? "verify-out", "-o");
        var c = CultureInfo.InvariantCulture;
        var rows = new List<(TestCase Test, string[] Cells)>();
        var errors = new List<string>();
        int bugs = 0;
        int held = 0;
        int growing = 0;
        var clock = Stopwatch.StartNew();
        int run = 0;
        bool cut = false;
        TestCase? hung = null;
        for (int i = 0; i < tests.Count && !StopRequest.IsRequested && hung is null; i++)
        {
            run++;
            TestCase test = tests[i];
            progress?.Show(string.Create(c, $"[{i + 1}/{tests.Count}] {test.ShortName}  {bugs} bugs, {errors.Count} model errors, {clock.Elapsed.TotalSeconds:F0} s"));
            Configuration config = TestCommand.BuildConfiguration(o, fallbackIterations: DefaultIterations).WithActivityCoverageReported();
            if (o.ULong("seed") is null)
            {
                config.WithRandomGeneratorSeed(0);
            }

            int? ownBound = ProtocolStepBound(o, test);
            if (ownBound is int bound)
            {
                config.WithMaxSchedulingSteps((uint)bound, (uint)bound);
            }

            TestingEngine engine = Runner.Explore(test, config);
            TestReport r = engine.TestReport;
            string verdict;
            if (ModelError.Is(r))
            {
                errors.Add(ModelError.Describe(engine, outDir));
                hung = r.Bug?.Kind == BugKind.Hang ? test : null;
                verdict = r.Bug is not null
                    ? string.Create(c, $"MODEL ERROR in iteration {r.BugIteration}{(hung is not null ? ": a step did not return" : string.Empty)} (not a verdict; see below)")
                    : "MODEL ERROR: could not run (not a verdict; see below)";
            }
            else if (r.Bug is not null)
            {
                bugs++;
                engine.TryEmitReports(outDir, r.TestName, out IReadOnlyList<string> paths);
                verdict = $"BUG {r.Bug.Kind} in iteration {r.BugIteration} -> {paths[0]}";
            }
            else if (r.Interrupted)
            {
                cut = true;
                verdict = string.Create(c, $"INTERRUPTED by {Signals.Name} after {r.Iterations} iterations: no bug in those (not a verdict)");
            }
            else
            {
                held++;
                verdict = r.Exhausted
                    ? $"holds: every schedule within {r.MaxUnfairSteps} steps"
                    : $"no bug in {r.Iterations} iterations of at most {r.MaxSteps} steps ({r.StepBoundHits} hit the bound)";
            }

            string covered = Covered(r);
            if (r.Bug is null && r.Error is null && r.StateSpace is null && !r.Exhausted && !r.TimedOut && !r.Interrupted && r.Iterations >= 2 && r.Coverage is not null)
            {
                // Iteration k depends only on (seed, k), so a run of half the iterations is a prefix of
                // this one: the same coverage means the second half reached nothing new.
                int half = r.Iterations / 2;
                Configuration prefixConfig = TestCommand.BuildConfiguration(o, fallbackIterations: DefaultIterations).WithActivityCoverageReported().WithTestingIterations((uint)half);
                if (o.ULong("seed") is null)
                {
                    prefixConfig.WithRandomGeneratorSeed(0);
                }

                if (ownBound is int prefixBound)
                {
                    prefixConfig.WithMaxSchedulingSteps((uint)prefixBound, (uint)prefixBound);
                }

                TestReport prefix = Runner.Explore(test, prefixConfig).TestReport;
                bool flat = prefix.Coverage is not null && Reached(prefix).SetEquals(Reached(r));
                growing += flat ? 0 : 1;
                covered += flat ? string.Create(c, $"; flat after {half} it") : string.Create(c, $"; still growing at {r.Iterations} it");
            }

            rows.Add((test, [test.ShortName, r.Strategy, verdict, covered, r.Elapsed.TotalSeconds.ToString("F1", c) + " s"]));
        }

        progress?.Clear();
        bool firstTable = true;
        foreach (IGrouping<string, (TestCase Test, string[] Cells)> group in rows.GroupBy(x => x.Test.Namespace))
        {
            if (!firstTable)
            {
                stdout.WriteLine();
            }

            firstTable = false;
            stdout.WriteLine($"{group.Key}:");
            Table.Write(stdout, ["Scenario", "Strategy", "Verdict", "Covered", "Time"], group.Select(x => x.Cells).ToList());
        }

        foreach (string e in errors)
        {
            stdout.WriteLine($"verify: {e}");
        }

        if (StopRequest.IsRequested)
        {
            stdout.WriteLine(string.Create(c, $"Interrupted by {Signals.Name}: {run} of {tests.Count} scenarios run{(cut ? ", the last one stopped early" : string.Empty)}; the table covers those."));
        }

        if (hung is not null)
        {
            stdout.WriteLine(string.Create(c, $"Stopped by the watchdog: a step of {hung.ShortName} did not return, and its thread cannot be stopped; {run} of {tests.Count} scenarios run, the table covers those."));
        }

        stdout.WriteLine(string.Create(c,
            $"{(run < tests.Count || StopRequest.IsRequested ? $"{run} of " : string.Empty)}{tests.Count} scenarios: {bugs} with a bug, {held} held within the bound, {errors.Count} model errors; {clock.Elapsed.TotalSeconds:F1} s. Covered: states entered and handlers used of those declared, over every actor and monitor type the scenario ran; for a scenario that held, whether its second half of iterations reached anything new{(growing > 0 ? $" (it did in {growing}: raise -i)" : string.Empty)}."));
        return hung is not null ? ExitCode.Hang : errors.Count > 0 ? ExitCode.Error : bugs > 0 ? ExitCode.BugFound : StopRequest.IsRequested ? Signals.Code : ExitCode.Success;
    }

    /// <summary>
    /// The step bound the test's protocol sets for it (<see cref="Verify.Protocols.Protocol.SampleStepBound"/>),
    /// unless the command line gives one; null for the engine's.
    /// </summary>
    private static int? ProtocolStepBound(Options o, TestCase test)
    {
        if (o.Has("max-steps") || o.Has("max-unfair-steps") || o.Has("max-fair-steps"))
        {
            return null;
        }

        return test.ProtocolStepBound;
    }

    private static HashSet<CoverageEntry> Reached(TestReport r) =>
        r.Coverage!.Entries.Where(e => e.Count > 0).Select(e => e with { Count = 0 }).ToHashSet();

    /// <summary>"states 6/6, handlers 12/13": entries with a non-zero count of those the coverage report lists.</summary>
    private static string Covered(TestReport r)
    {
        if (r.Coverage is null)
        {
            return "-";
        }

        IEnumerable<CoverageEntry> of(string category) => r.Coverage.Entries.Where(e => e.Category == category);
        return string.Create(CultureInfo.InvariantCulture,
            $"states {of("state").Count(e => e.Count > 0)}/{of("state").Count()}, handlers {of("handler").Count(e => e.Count > 0)}/{of("handler").Count()}");
    }
}
