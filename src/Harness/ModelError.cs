using System.Globalization;
using Verify.SystematicTesting;

namespace Verify.Harness;

/// <summary>
/// A model that threw (an exception escaping a handler, a monitor or the test body), flooded one
/// step with effects, had a step that did not return, or could not run is a bug in the model,
/// never a verdict about the protocol: `check`, `verdicts` and `stats`
/// report it as an error, exit code 1 ("a scenario could not run"), with the trace in the output
/// directory, never beside the committed counterexamples.
/// </summary>
internal static class ModelError
{
    /// <summary>True when the campaign's outcome is a model error rather than a verdict.</summary>
    internal static bool Is(TestReport r) => r.Error is not null || r.Bug?.Kind is BugKind.Exception or BugKind.EffectBound or BugKind.Hang;

    /// <summary>
    /// Writes the failing run's trace (and its views) under <paramref name="outDir"/> and returns the
    /// message: what happened, the scenario, iteration and step, where the trace is, what to do.
    /// </summary>
    internal static string Describe(TestingEngine engine, string outDir, bool replayable = true)
    {
        TestReport r = engine.TestReport;
        string what = r.Bug is BugReport bug
            ? string.Create(CultureInfo.InvariantCulture, $"in iteration {r.BugIteration}, step {bug.Step}: {(bug.Kind == BugKind.Exception ? bug.Message : bug.Summary)}")
            : string.Create(CultureInfo.InvariantCulture, $"after {r.Iterations} iterations: {r.Error}");
        if (r.Bug is not null && engine.TryEmitReports(outDir, r.TestName, out IReadOnlyList<string> paths))
        {
            string next = replayable
                ? $"run `verify replay {Runner.Quote(paths[0])} --log` to see the steps"
                : "it records a configuration that is not a built-in scenario, so `verify replay` cannot rerun it; its readable log is beside it";
            return $"model error in {r.TestName} {what}. This is a bug in the model, not a verdict. Trace: {paths[0]}; {next}.";
        }

        return $"model error in {r.TestName} {what}. This is a bug in the model, not a verdict; no trace was recorded.";
    }
}
