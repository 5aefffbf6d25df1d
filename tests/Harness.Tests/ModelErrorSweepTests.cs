using System.Globalization;
using Verify.SystematicTesting;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>
/// Every built-in scenario, with three seeds, must run without a model error: an exception escaping
/// a handler, a monitor or the test body (e.g. a per-CPU variable touched from the wrong CPU) is a
/// bug in the model, and a verdict computed over it means nothing.
/// </summary>
/// <remarks>
/// How many iterations: the engine's coverage report (states entered, handlers used, transitions
/// taken, per actor and monitor type) of every built-in scenario stopped growing within 150
/// iterations for each of seeds 0, 1 and 2 (measured in 50-iteration chunks up to 1,000, December
/// 2026). That coverage is per type and coarse: the KVM model's per-CPU exception first shows at
/// iteration 200, after coverage is flat. So the sweep runs <see cref="Iterations"/> = 1,000 per
/// seed, the verdict budget and over six times the largest plateau, and checks the plateau as it
/// goes: the coverage after the first quarter must already be the whole run's, or the count is too
/// small for that scenario and the test says so. A campaign stops at its first bug, so a scenario
/// whose property fails early is swept only up to there; the same model with a property that holds
/// is swept in full. A protocol cell runs with the step bound its protocol samples it with in
/// `verify check` and `verify verdicts` (a scenario whose busy poller spins on after the clock
/// stopped would otherwise spin to the engine's 10,000 steps in every iteration, adding no model
/// code); the runs are spread over the machine's cores.
/// </remarks>
public sealed class ModelErrorSweepTests
{
    private const int Iterations = 1000;

    private static readonly ulong[] Seeds = [0, 1, 2];

    [Fact]
    public void EveryBuiltInScenario_RunsWithoutAModelError_UpToItsCoveragePlateau()
    {
        (TestCase Test, ulong Seed)[] runs = Swept(TestRegistry.BuiltIn()).SelectMany(t => Seeds.Select(seed => (t, seed))).ToArray();
        var failures = new string?[runs.Length];
        var growing = new string?[runs.Length];
        Parallel.For(0, runs.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            (TestCase test, ulong seed) = runs[i];
            TestReport whole = Run(test, seed, Iterations);
            if (ModelError.Is(whole))
            {
                failures[i] = string.Create(CultureInfo.InvariantCulture,
                    $"{test.FullName}, seed {seed}, iteration {whole.BugIteration}: {FirstSentence(whole.Bug?.Message ?? whole.Error!)} (reproduce: verify test {test.ShortName} -i {Iterations} --seed {seed}{(test.ProtocolStepBound is int steps ? $" --max-unfair-steps {steps} --max-fair-steps {steps}" : string.Empty)})");
            }
            else if (whole.Bug is null && !Plateaued(Run(test, seed, Iterations / 4), whole))
            {
                growing[i] = $"{test.FullName}, seed {seed}";
            }
        });

        var problems = new List<string>();
        List<string> errors = failures.OfType<string>().ToList();
        if (errors.Count > 0)
        {
            problems.Add($"{errors.Count} model errors (each a bug in the model, not a verdict):\n" + string.Join("\n", errors));
        }

        List<string> unswept = growing.OfType<string>().ToList();
        if (unswept.Count > 0)
        {
            problems.Add($"coverage still grew after {Iterations / 4} of {Iterations} iterations, so {Iterations} may not reach the plateau; raise Iterations:\n" + string.Join("\n", unswept));
        }

        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    /// <summary>
    /// The built-in tests to sweep: every one, but of a protocol's <c>Variant.Scenario.Property</c>
    /// cells only the first property of each variant and scenario. The cells of one variant and
    /// scenario run the same model code and differ in the one monitor they register; every cell,
    /// monitor included, runs 1,000 iterations in the verdict regeneration, where a model error
    /// fails the test too, so the sweep adds the other seeds where the model code is.
    /// </summary>
    private static IEnumerable<TestCase> Swept(IReadOnlyList<TestCase> tests)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (TestCase test in tests)
        {
            bool cell = Verify.Protocols.Protocol.All.Any(p => test.FullName.Contains("." + p.Name + ".", StringComparison.Ordinal));
            if (!cell || seen.Add(test.FullName[..test.FullName.LastIndexOf('.')]))
            {
                yield return test;
            }
        }
    }

    /// <summary>The message up to its stack location ("At: ..."), which the trace's log repeats.</summary>
    private static string FirstSentence(string message)
    {
        int at = message.IndexOf(" At: ", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }

    private static TestReport Run(TestCase test, ulong seed, int iterations)
    {
        Configuration config = Configuration.Create()
            .WithTestingIterations((uint)iterations)
            .WithRandomGeneratorSeed(seed)
            .WithActivityCoverageReported();
        if (test.ProtocolStepBound is int steps)
        {
            config.WithMaxSchedulingSteps((uint)steps, (uint)steps);
        }

        return Runner.Explore(test, config).TestReport;
    }

    /// <summary>Iteration k's seed depends only on (seed, k), so the shorter run is a prefix of the longer; equal coverage means nothing new after it.</summary>
    private static bool Plateaued(TestReport prefix, TestReport whole) =>
        Covered(prefix).SetEquals(Covered(whole));

    /// <summary>
    /// What the run covered, less ignored events: dropping an event the state ignores (an interrupt
    /// kick that reaches a CPU already awake) runs no model code, so it cannot hide a model error,
    /// and a rare one must not make a scenario look unswept.
    /// </summary>
    private static HashSet<string> Covered(TestReport r) =>
        r.Coverage!.Entries.Where(e => e.Count > 0 && e.Action != "ignore").Select(e => $"{e.Type}|{e.Category}|{e.State}|{e.Event}|{e.Action}").ToHashSet();
}
