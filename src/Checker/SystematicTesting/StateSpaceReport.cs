using System.Globalization;
using System.Text;

namespace Verify.SystematicTesting;

/// <summary>What a stateful search (stateful-dfs, stateful-bfs) explored: distinct states, transitions, depth, rate and memory.</summary>
public sealed class StateSpaceReport
{
    /// <summary>Distinct states reached (each expanded once).</summary>
    public long States { get; internal set; }

    /// <summary>Transitions executed: one actor step with one sequence of random answers, including those into known states (runs of the test body are not counted).</summary>
    public long Transitions { get; internal set; }

    /// <summary>States with no enabled operation (where deadlock and hot monitors are checked).</summary>
    public long TerminalStates { get; internal set; }

    /// <summary>States at the depth bound that still had enabled operations; 0 means the whole reachable space was explored.</summary>
    public long BoundCutStates { get; internal set; }

    /// <summary>The greatest depth (steps from the initial state) of a state reached.</summary>
    public int MaxDepth { get; internal set; }

    /// <summary>The depth bound (the unfair step bound, -ms).</summary>
    public int DepthBound { get; internal set; }

    public bool PartialOrderReduction { get; internal set; }

    /// <summary>Threads that explored the space, sharing one visited set (<c>--parallel</c>, depth-first only).</summary>
    public int Workers { get; internal set; } = 1;

    /// <summary>Times a worker gave untried transitions to an idle one (parallel search).</summary>
    public int Handoffs { get; internal set; }

    /// <summary>States expanded through one actor's step only, with reduction on.</summary>
    public long ReducedStates { get; internal set; }

    /// <summary>Steps re-executed to rebuild states a snapshot could no longer restore (after a receive resumed).</summary>
    public long ReplayedSteps { get; internal set; }

    /// <summary>Whether cycles on which a monitor stays hot were looked for.</summary>
    public CycleCheck Cycles { get; internal set; }

    /// <summary>States where some monitor is hot (when cycles were looked for).</summary>
    public long HotStates { get; internal set; }

    /// <summary>Transitions between two states where the same monitor is hot: the graph searched for fair cycles.</summary>
    public long HotTransitions { get; internal set; }

    /// <summary>
    /// The search's peak memory, in bytes, as <c>--max-memory</c> measures it: the managed heap's
    /// allocated bytes (<c>GC.GetTotalMemory</c>, sampled every few thousand states) plus the visited
    /// states' table, which lives outside the heap. It leaves out what the process holds besides:
    /// the runtime, compiled code, and heap space the collector keeps committed but unused.
    /// </summary>
    public long PeakMemoryBytes { get; internal set; }

    /// <summary>
    /// The process's peak resident set in bytes (<c>Process.PeakWorkingSet64</c>, Linux's VmHWM) when
    /// the search ended: everything the process held at its peak since it started, so also what
    /// ran before the search in the same process.
    /// </summary>
    public long ProcessPeakBytes { get; internal set; }

    /// <summary>The search stopped at the memory bound (<see cref="Configuration.MaxMemoryBytes"/>), or memory ran out.</summary>
    public bool MemoryBound { get; internal set; }

    /// <summary>The memory bound in bytes; 0 for none.</summary>
    public long MaxMemoryBytes { get; internal set; }

    /// <summary>The search stopped at the state bound (<see cref="Configuration.MaxStates"/>): it had reached that many states and found one more.</summary>
    public bool StateBound { get; internal set; }

    /// <summary>The state bound; 0 for none.</summary>
    public long MaxStates { get; internal set; }

    /// <summary>With the <c>stateful</c> strategy: the phases run, breadth-first then (if its bound stopped it) depth-first.</summary>
    public string? Order { get; internal set; }

    /// <summary>How the visited states were kept.</summary>
    public StateStore Store { get; internal set; }

    /// <summary>With <see cref="StateStore.Bitstate"/>: log2 of the table's bits.</summary>
    public int BitstateLog2Bits { get; internal set; }

    /// <summary>With <see cref="StateStore.Bitstate"/>: the bits each state sets.</summary>
    public int BitstateHashes { get; internal set; }

    /// <summary>
    /// With a hash-compaction store, the probability that two of the states reached share the kept
    /// bits (so one of them, and what only it leads to, went unexplored): about n^2 / 2^(b+1) for
    /// b kept bits, assuming the hash spreads states uniformly. 0 for a bitstate store (see <see cref="EstimatedOmissions"/>).
    /// </summary>
    public double CollisionProbability => Store switch
    {
        StateStore.HashCompact96 => Math.Min(1, (double)States * States / Math.Pow(2, 97)),
        StateStore.HashCompact64 => Math.Min(1, (double)States * States / Math.Pow(2, 65)),
        _ => 0,
    };

    /// <summary>With a bitstate store, the expected number of reachable states taken as seen without being explored.</summary>
    public double EstimatedOmissions => Store == StateStore.Bitstate ? StateSpace.BitstateSet.ExpectedOmissions(States, BitstateLog2Bits, BitstateHashes) : 0;

    /// <summary>With a bitstate store, the estimated share of the reachable states explored: n / (n + omissions).</summary>
    public double EstimatedCoverage => States + EstimatedOmissions > 0 ? States / (States + EstimatedOmissions) : 1;

    /// <summary>The store keeps no depths, so a shallower revisit of a state the bound cut is not explored again.</summary>
    private bool DepthsLost => Store != StateStore.HashCompact96 && BoundCutStates > 0;

    private string StoreLine()
    {
        var c = CultureInfo.InvariantCulture;
        return Store switch
        {
            StateStore.HashCompact64 => string.Create(c, $"hash compaction: a 64-bit fingerprint a state (8 bytes), no depths; probability that two states collided about {CollisionProbability:G2}"),
            StateStore.Bitstate => string.Create(c, $"bitstate: 2^{BitstateLog2Bits} bits ({Megabytes((1L << BitstateLog2Bits) / 8)} MB), {BitstateHashes} bits a state, no depths; probabilistic: about {EstimatedOmissions:N0} reachable states omitted, estimated coverage {EstimatedCoverage * 100:F3}%"),
            _ => string.Create(c, $"hash compaction: 96 bits of a state's hash and its depth (16 bytes); probability that two states collided about {CollisionProbability:G2}"),
        };
    }

    public TimeSpan Elapsed { get; internal set; }

    /// <summary>
    /// With <see cref="Configuration.StateProfileFields"/>: the field paths with the most distinct
    /// values over the states searched, most first; a count of <see cref="ProfileCap"/> means at least that many.
    /// </summary>
    public IReadOnlyList<(string Path, int Distinct)> Profile { get; internal set; } = [];

    /// <summary>The most distinct values the profile counts for one path.</summary>
    public static int ProfileCap => StateSpace.StateProfile.DistinctCap;

    public double StatesPerSecond => Elapsed.TotalSeconds > 0 ? States / Elapsed.TotalSeconds : 0;

    public double TransitionsPerSecond => Elapsed.TotalSeconds > 0 ? Transitions / Elapsed.TotalSeconds : 0;

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("N0", CultureInfo.InvariantCulture);

    private string Liveness(TestReport r) => Cycles switch
    {
        CycleCheck.Checked => $"checked at termination ({TerminalStates:N0} terminal states) and for fair cycles on which a monitor stays hot (every enabled actor runs, every choice takes each value) ({HotStates:N0} hot states, {HotTransitions:N0} transitions between them{(BoundCutStates > 0 ? "; cycles through states the depth bound cut are not seen" : string.Empty)})",
        CycleCheck.Incomplete => $"checked at termination only ({TerminalStates:N0} terminal states): the search stopped (a bug or the time limit) before the graph was complete, so fair cycles were not looked for",
        CycleCheck.OffInParallel => $"checked at termination only ({TerminalStates:N0} terminal states): the workers of a parallel search keep no common state graph; run with one worker for fair-cycle detection",
        CycleCheck.OffUnderReduction => $"checked at termination only ({TerminalStates:N0} terminal states): reduction preserves safety, not cycles; run without --por for fair-cycle detection",
        _ when r.HasLivenessMonitors => $"checked at termination only ({TerminalStates:N0} terminal states): the monitor with hot states was registered after the test body, so no graph was kept for fair cycles",
        _ => "not checked: no registered monitor has a hot state",
    };

    /// <summary>The summary of a stateful run, in the layout of <see cref="TestReport.Summary"/>.</summary>
    internal string Summary(TestReport r)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"Test          {r.TestName}\n");
        sb.Append(c, $"Strategy      {r.Strategy}: stateful exhaustive search{(r.Strategy.StartsWith("stateful-bfs", StringComparison.Ordinal) ? ", breadth-first (shortest counterexample)" : ", depth-first")}{(Workers > 1 ? $" on {Workers} workers sharing one visited set ({Handoffs:N0} hand-offs of untried transitions)" : string.Empty)}\n");
        if (Order is not null)
        {
            sb.Append(c, $"Order         {Order}\n");
        }

        sb.Append(c, $"States        {States:N0} distinct, {Transitions:N0} transitions, {TerminalStates:N0} terminal; depth up to {MaxDepth:N0} (bound {DepthBound:N0})\n");
        sb.Append(c, $"Reduction     {(PartialOrderReduction ? $"partial-order, {ReducedStates:N0} of {States:N0} states expanded through one actor" : "off")}\n");
        sb.Append(c, $"Liveness      {Liveness(r)}\n");
        sb.Append(c, $"Store         {StoreLine()}\n");
        sb.Append(c, $"Time          {Elapsed.TotalSeconds:F2} s, {StatesPerSecond:N0} states/s, {TransitionsPerSecond:N0} transitions/s{(ReplayedSteps > 0 ? $", {ReplayedSteps:N0} steps re-executed" : string.Empty)}\n");
        sb.Append(c, $"Memory        peak {Megabytes(PeakMemoryBytes)} MB of managed heap and visited set (what --max-memory bounds); process peak resident set {Megabytes(ProcessPeakBytes)} MB\n");
        if (Profile.Count > 0)
        {
            sb.Append(c, $"Profile       distinct values over the {States:N0} states, the {Profile.Count} field paths with the most:\n");
            foreach ((string path, int distinct) in Profile)
            {
                sb.Append(c, $"              {(distinct >= ProfileCap ? ">=" : "  ")}{distinct,7:N0}  {path}\n");
            }
        }
        if (r.Bug is not null)
        {
            sb.Append(c, $"Bug           found at step {r.Bug.Step} ({r.BugStrategy})\n");
            sb.Append(c, $"              {r.Bug.Summary}\n");
            if (r.Watchdog is not null)
            {
                sb.Append(c, $"Watchdog      {r.Watchdog}\n");
            }
        }
        else if (r.Error is null)
        {
            string result = r.Exhausted && Store == StateStore.Bitstate
                ? $"exhausted (probabilistic): no bug in the {States:N0} states the bitstate table took as new; about {EstimatedOmissions:N0} reachable states were omitted (estimated coverage {EstimatedCoverage * 100:F3}%){(BoundCutStates > 0 ? $"; the {DepthBound:N0}-step bound cut {BoundCutStates:N0} states, not explored again when reached shallower" : string.Empty)}"
                : r.Exhausted && DepthsLost
                ? $"exhausted: no bug within these bounds (the {DepthBound:N0}-step bound cut {BoundCutStates:N0} states, and the store keeps no depths, so a state the bound cut was not explored again when reached shallower)"
                : r.Exhausted
                ? BoundCutStates == 0
                    ? $"exhausted: no bug within these bounds (all {States:N0} reachable states, none deeper than the {DepthBound:N0}-step bound)"
                    : $"exhausted: no bug within these bounds (every state within {DepthBound:N0} steps; the bound cut {BoundCutStates:N0} states)"
                : $"no bug found in {States:N0} states; not exhausted{(r.TimedOut ? ": stopped by the time limit" : StateBound ? $": state bound ({MaxStates:N0} states, --max-states)" : MemoryBound ? $": memory bound ({PeakMemoryBytes / (1024.0 * 1024.0):N0} MB used{(MaxMemoryBytes > 0 ? $" of {MaxMemoryBytes / (1024.0 * 1024.0):N0} MB, --max-memory" : ", out of memory")})" : r.Interrupted ? ": interrupted (stopped on request)" : Workers > 1 && BoundCutStates > 0 ? $": the {DepthBound:N0}-step bound cut {BoundCutStates:N0} states, and workers that prune a state another is still exploring may miss states within the bound; run on one worker for every state within it" : string.Empty)}";
            sb.Append(c, $"Result        {result}\n");
        }

        if (r.Error is not null)
        {
            sb.Append(c, $"Error         {r.Error}\n");
        }

        return sb.ToString();
    }
}

/// <summary>Whether a stateful search looked for cycles on which a monitor stays hot.</summary>
public enum CycleCheck
{
    /// <summary>No registered monitor has a hot state.</summary>
    NoHotMonitor,

    /// <summary>The explored graph was searched for fair lassos.</summary>
    Checked,

    /// <summary>Partial-order reduction was on; it preserves safety, not cycles, so only termination was checked.</summary>
    OffUnderReduction,

    /// <summary>The search stopped (a bug or the time limit) before the graph was complete; cycles were not looked for.</summary>
    Incomplete,

    /// <summary>The search ran on several workers, which keep no common graph; only termination was checked.</summary>
    OffInParallel,
}
