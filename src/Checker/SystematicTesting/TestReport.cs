using System.Globalization;
using System.Text;

namespace Verify.SystematicTesting;

/// <summary>What a campaign explored and found. Counts cover iterations up to and including the first bug.</summary>
public sealed class TestReport
{
    public string TestName { get; internal set; } = "test";

    /// <summary>The strategy as configured, e.g. <c>portfolio</c> or <c>prioritization(bound=3)</c>.</summary>
    public string Strategy { get; internal set; } = string.Empty;

    public ulong Seed { get; internal set; }

    public int Workers { get; internal set; } = 1;

    /// <summary>The first bug (lowest iteration), or null.</summary>
    public BugReport? Bug { get; internal set; }

    /// <summary>Iteration index of <see cref="Bug"/>, or -1.</summary>
    public int BugIteration { get; internal set; } = -1;

    /// <summary>Strategy description of the buggy iteration (as in its trace header).</summary>
    public string? BugStrategy { get; internal set; }

    public int NumOfFoundBugs => Bug is null ? 0 : 1;

    /// <summary>The bug messages alone, as Coyote keeps them (the kind is in <see cref="Bug"/>).</summary>
    public HashSet<string> BugReports { get; } = [];

    public int Iterations { get; internal set; }

    public int NumOfExploredFairPaths { get; internal set; }

    public int NumOfExploredUnfairPaths { get; internal set; }

    /// <summary>Runs cut by the step bound (fair or unfair).</summary>
    public int StepBoundHits { get; internal set; }

    /// <summary>Runs in which no operation was enabled at the end.</summary>
    public int TerminatedRuns { get; internal set; }

    public long TotalSteps { get; internal set; }

    public long TotalDecisions { get; internal set; }

    public int MaxSteps { get; internal set; }

    public int MinSteps { get; internal set; } = int.MaxValue;

    /// <summary>True when DFS ran every path within the step bound.</summary>
    public bool Exhausted { get; internal set; }

    /// <summary>Some registered monitor has a hot state, so there was a liveness property to check.</summary>
    public bool HasLivenessMonitors { get; internal set; }

    public int LivenessThreshold { get; internal set; }

    public int MaxUnfairSteps { get; internal set; }

    public int MaxFairSteps { get; internal set; }

    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Set when a replay diverged from its trace: the step and the reason.</summary>
    public string? Divergence { get; internal set; }

    /// <summary>Set when the model could not run (malformed model, nondeterminism).</summary>
    public string? Error { get; internal set; }

    public bool TimedOut { get; internal set; }

    /// <summary>The campaign stopped early on a <see cref="StopRequest"/> (SIGINT, SIGTERM); the counts cover what ran.</summary>
    public bool Interrupted { get; internal set; }

    /// <summary>
    /// Set when the watchdog gave up on a step that did not return (the bug is then a
    /// <see cref="BugKind.Hang"/>): how long it ran and that its thread is left running.
    /// </summary>
    public string? Watchdog { get; internal set; }

    /// <summary>States, transitions and depth of a stateful search (stateful-dfs, stateful-bfs); null for sampled runs.</summary>
    public StateSpaceReport? StateSpace { get; internal set; }

    /// <summary>States, handlers and transitions exercised, when coverage was requested; else null.</summary>
    public CoverageReport? Coverage { get; internal set; }

    /// <summary>The shard this report covers (index of count); 0 of 1 for a whole run.</summary>
    public int ShardIndex { get; internal set; }

    public int ShardCount { get; internal set; } = 1;

    public double DecisionsPerSecond => Elapsed.TotalSeconds > 0 ? TotalDecisions / Elapsed.TotalSeconds : 0;

    public double IterationsPerSecond => Elapsed.TotalSeconds > 0 ? Iterations / Elapsed.TotalSeconds : 0;

    /// <summary>Whether liveness was checked, and how: the summary always says.</summary>
    public string LivenessSummary
    {
        get
        {
            if (!HasLivenessMonitors)
            {
                return "not checked: no registered monitor has a hot state";
            }

            var parts = new List<string>();
            if (NumOfExploredFairPaths > 0)
            {
                parts.Add($"by temperature (threshold {LivenessThreshold} steps) in {NumOfExploredFairPaths} fair runs");
            }

            if (TerminatedRuns > 0)
            {
                parts.Add($"at termination in {TerminatedRuns} runs");
            }

            return parts.Count == 0 ? "not checked: no run was fair or terminated" : "checked " + string.Join(" and ", parts);
        }
    }

    /// <summary>The summary printed by <c>verify test</c>.</summary>
    public string Summary()
    {
        if (StateSpace is not null)
        {
            return StateSpace.Summary(this);
        }

        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"Test          {TestName}\n");
        sb.Append(c, $"Strategy      {Strategy}, seed {Seed}{(Workers > 1 ? $", {Workers} workers" : string.Empty)}\n");
        sb.Append(c, $"Iterations    {Iterations} ({NumOfExploredFairPaths} fair, {NumOfExploredUnfairPaths} unfair){(Exhausted ? "; search space exhausted" : string.Empty)}{(TimedOut ? "; stopped by the time limit" : string.Empty)}{(Interrupted ? "; interrupted (stopped on request)" : string.Empty)}{(ShardCount > 1 ? $"; shard {ShardIndex}/{ShardCount}" : string.Empty)}\n");
        sb.Append(c, $"Steps         {TotalSteps} total, {(Iterations > 0 ? MinSteps : 0)}..{MaxSteps} per run; bound {MaxUnfairSteps} unfair / {MaxFairSteps} fair\n");
        sb.Append(c, $"Step bound    hit in {StepBoundHits} of {Iterations} runs\n");
        sb.Append(c, $"Liveness      {LivenessSummary}\n");
        sb.Append(c, $"Time          {Elapsed.TotalSeconds:F2} s, {DecisionsPerSecond:N0} decisions/s, {IterationsPerSecond:N0} iterations/s\n");
        if (Bug is not null)
        {
            sb.Append(c, $"Bug           found in iteration {BugIteration} at step {Bug.Step} ({BugStrategy})\n");
            sb.Append(c, $"              {Bug.Summary}\n");
            if (Watchdog is not null)
            {
                sb.Append(c, $"Watchdog      {Watchdog}\n");
            }
        }
        else if (Error is null)
        {
            string bound = Exhausted
                ? $"every schedule within {MaxUnfairSteps} steps"
                : $"{Iterations} iterations of at most {Math.Max(MaxSteps, 0)} steps";
            sb.Append(c, $"Result        no bug found ({bound})\n");
        }

        if (Error is not null)
        {
            sb.Append(c, $"Error         {Error}\n");
        }

        return sb.ToString();
    }
}
