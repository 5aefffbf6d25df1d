using System.Text.RegularExpressions;
using Verify.Actors;
using Verify.Runtime;
using Verify.Strategies;
using Verify.Traces;
using Trace = Verify.Traces.Trace;

namespace Verify.SystematicTesting;

/// <summary>Size of a trace: its decisions, steps, and steps whose actor differs from the previous step's.</summary>
internal readonly record struct TraceSize(int Decisions, int Steps, int ContextSwitches)
{
    /// <summary>Smaller means fewer steps, then fewer context switches, then fewer decisions.</summary>
    public bool IsSmallerThan(TraceSize other) =>
        Steps != other.Steps ? Steps < other.Steps
        : ContextSwitches != other.ContextSwitches ? ContextSwitches < other.ContextSwitches
        : Decisions < other.Decisions;

    public override string ToString() => $"{Decisions} decisions, {Steps} steps, {ContextSwitches} context switches";

    internal static int CountSwitches(IReadOnlyList<Decision> decisions)
    {
        int switches = 0;
        int last = 0;
        foreach (Decision d in decisions)
        {
            if (d.Kind != DecisionKind.Schedule)
            {
                continue;
            }

            switches += last != 0 && d.Value != last ? 1 : 0;
            last = d.Value;
        }

        return switches;
    }
}

/// <summary>What <c>verify minimize</c> did: the sizes before and after, and the replays it spent.</summary>
internal sealed record MinimizeResult(Trace Minimized, TraceSize Before, TraceSize After, int Replays, bool BudgetExhausted);

/// <summary>
/// Shrinks a buggy trace to one with fewer steps and context switches that ends in the same bug.
/// Candidates are edits of the current trace's decisions, run with <see cref="LenientReplayStrategy"/>
/// (which fills what an edit breaks with a deterministic fallback); a candidate is kept when it ends
/// in the same bug and is smaller, and then the decisions that run really took become the current
/// trace, so the result is an ordinary strict trace. Two kinds of edit, repeated until neither helps
/// or the replay budget is spent: delta debugging (remove a chunk of decisions, halving the chunk
/// size down to one; Zeller's ddmin), and schedule simplification (at each context switch, let the
/// actor that ran before keep running: move its next step forward, or schedule it instead).
/// Deterministic: the same trace and budget give the same result.
/// </summary>
internal sealed partial class TraceMinimizer
{
    private readonly Func<IActorRuntime, Task?> test;
    private readonly Action? iterationDispose;
    private readonly Trace original;
    private readonly RunSettings settings;
    private readonly string bug;
    private readonly int budget;

    internal TraceMinimizer(Func<IActorRuntime, Task?> test, Action? iterationDispose, Trace original, int budget)
    {
        this.test = test;
        this.iterationDispose = iterationDispose;
        this.original = original;
        this.budget = budget;
        bug = SameBugKey(original.Bug ?? throw new ArgumentException("the trace records no bug", nameof(original)));
        // A hand-written trace without a step bound still needs one: the fallback may keep a looping actor running.
        settings = new RunSettings(
            original.MaxSteps > 0 ? original.MaxSteps : Math.Max(10_000, original.Decisions.Count * 10),
            original.Fair,
            original.LivenessThreshold > 0 ? original.LivenessThreshold : int.MaxValue,
            original.FailOnMaxSteps,
            original.TimeoutDelay,
            original.AtomicSharedObjects);
    }

    internal int Replays { get; private set; }

    // Steps of the current trace: a candidate that runs longer cannot be smaller, so it stops there.
    // Not with --fail-on-max-steps, whose bug is reaching the recorded bound.
    private int limit = int.MaxValue;

    /// <summary>
    /// The bug a minimized trace must keep: kind and message, with step numbers masked, since a
    /// shorter run reports a deadlock or a liveness violation at an earlier step.
    /// </summary>
    internal static string SameBugKey(string summary) => StepNumber().Replace(summary.ReplaceLineEndings(" "), "step #");

    /// <summary>Null when even the unedited trace does not end in its bug under the lenient replay.</summary>
    internal MinimizeResult? Run()
    {
        Candidate? start = Try(original.Decisions);
        if (start is null)
        {
            return null;
        }

        Candidate current = start;
        limit = start.Size.Steps;
        bool improved = true;
        while (improved && Replays < budget)
        {
            improved = false;
            improved |= RemoveChunks(ref current);
            improved |= RemoveSwitches(ref current);
        }

        Trace minimized = original with
        {
            Strategy = original.Strategy.StartsWith("minimized", StringComparison.Ordinal) ? original.Strategy : $"minimized {original.Strategy}",
            Bug = current.Bug,
            Decisions = current.Decisions,
        };
        return new MinimizeResult(minimized, start.Size, current.Size, Replays, Replays >= budget);
    }

    /// <summary>Delta debugging: drop chunks of decisions, from half the trace down to single decisions.</summary>
    private bool RemoveChunks(ref Candidate current)
    {
        bool improved = false;
        for (int chunk = Math.Max(1, current.Decisions.Length / 2); chunk >= 1 && Replays < budget; chunk /= 2)
        {
            int at = 0;
            while (at < current.Decisions.Length && Replays < budget)
            {
                Decision[] d = current.Decisions;
                int n = Math.Min(chunk, d.Length - at);
                Decision[] plan = [.. d.AsSpan(0, at), .. d.AsSpan(at + n)];
                if (Accept(plan, ref current))
                {
                    improved = true;
                }
                else
                {
                    at += chunk;
                }
            }

            if (chunk == 1)
            {
                break;
            }
        }

        return improved;
    }

    /// <summary>Schedule simplification: at each context switch, try to keep the previous actor running.</summary>
    private bool RemoveSwitches(ref Candidate current)
    {
        bool improved = false;
        int at = 1;
        while (at < current.Decisions.Length && Replays < budget)
        {
            Decision[] d = current.Decisions;
            int previous = PreviousSchedule(d, at);
            if (d[at].Kind != DecisionKind.Schedule || previous < 0 || d[previous].Value == d[at].Value)
            {
                at++;
                continue;
            }

            int actor = d[previous].Value;
            int later = Array.FindIndex(d, at + 1, x => x.Kind == DecisionKind.Schedule && x.Value == actor);
            bool accepted = false;
            if (later > at)
            {
                // Move the previous actor's next step forward to here: the same steps, one switch fewer.
                var moved = new List<Decision>(d);
                moved.RemoveAt(later);
                moved.Insert(at, d[later]);
                accepted = Accept([.. moved], ref current);
            }

            if (!accepted && Replays < budget)
            {
                Decision[] replaced = (Decision[])d.Clone();
                replaced[at] = new Decision(DecisionKind.Schedule, actor, d[at].Bound);
                accepted = Accept(replaced, ref current);
            }

            improved |= accepted;
            if (!accepted)
            {
                at++;
            }
        }

        return improved;
    }

    private static int PreviousSchedule(Decision[] d, int at)
    {
        for (int i = at - 1; i >= 0; i--)
        {
            if (d[i].Kind == DecisionKind.Schedule)
            {
                return i;
            }
        }

        return -1;
    }

    private bool Accept(Decision[] plan, ref Candidate current)
    {
        Candidate? c = Try(plan);
        if (c is null || !c.Size.IsSmallerThan(current.Size))
        {
            return false;
        }

        current = c;
        limit = c.Size.Steps;
        return true;
    }

    /// <summary>Runs a plan once; the candidate (with the decisions really taken) if it ends in the same bug.</summary>
    private Candidate? Try(IReadOnlyList<Decision> plan)
    {
        if (Replays >= budget)
        {
            return null;
        }

        Replays++;
        var strategy = new LenientReplayStrategy(plan, settings.Fair);
        strategy.PrepareIteration(0);
        var decisions = new DecisionLog();
        RunSettings run = settings.FailOnMaxSteps ? settings : settings with { MaxSteps = Math.Min(settings.MaxSteps, limit) };
        var runtime = new ActorRuntime(strategy, decisions, run, log: false);
        try
        {
            runtime.Run(test);
        }
        finally
        {
            iterationDispose?.Invoke();
        }

        if (runtime.Bug is null || SameBugKey(runtime.Bug.Summary) != bug)
        {
            return null;
        }

        Decision[] taken = decisions.ToArray();
        return new Candidate(taken, new TraceSize(taken.Length, runtime.Steps, TraceSize.CountSwitches(taken)), runtime.Bug.Summary.ReplaceLineEndings(" "));
    }

    [GeneratedRegex(@"\bstep \d+")]
    private static partial Regex StepNumber();

    private sealed record Candidate(Decision[] Decisions, TraceSize Size, string Bug);
}
