namespace Verify;

/// <summary>How verbose the engine's own logging is; anything above Quiet keeps the readable trace of every run.</summary>
public enum VerbosityLevel
{
    None,
    Error,
    Warning,
    Info,
    Debug,
    Exhaustive,
}

/// <summary>
/// Settings of a test campaign, with Coyote's fluent <c>With*</c> methods. The common settings are
/// also settable properties, as Coyote's own tests set them; the <c>With*</c> methods check their arguments.
/// </summary>
public sealed class Configuration
{
    private Configuration()
    {
    }

    public int TestingIterations { get; set; } = 1;

    /// <summary>Run seed; null picks one at random (printed in the summary).</summary>
    public ulong? RandomGeneratorSeed { get; set; }

    /// <summary>Wall-clock budget in seconds; 0 means none.</summary>
    public int TestingTimeout { get; set; }

    public int MaxUnfairSchedulingSteps { get; set; } = 10_000;

    public int MaxFairSchedulingSteps { get; set; } = 100_000;

    /// <summary>Steps a monitor may stay hot in a fair run; 0 means half the fair step bound.</summary>
    public int LivenessTemperatureThreshold { get; set; }

    /// <summary>One of random, probabilistic, prioritization, fair-prioritization, delay-bounding, fair-delay-bounding, dfs, portfolio, stateful-dfs, stateful-bfs.</summary>
    public string SchedulingStrategy { get; private set; } = "portfolio";

    /// <summary>The strategy's bound: coin flips, priority change points or delays.</summary>
    public int StrategyBound { get; private set; }

    public bool FailOnMaxSteps { get; set; }

    public bool IsVerbose { get; set; }

    /// <summary>A trace (file contents) to replay instead of exploring.</summary>
    public string? ReproducibleTrace { get; private set; }

    /// <summary>Worker threads running independent iterations.</summary>
    public int Parallelism { get; private set; } = 1;

    public static Configuration Create() => new();

    /// <summary>
    /// The most sends, creations and random choices one step may make: a handler (with what it
    /// raises and the monitor actions it notifies) or the test method. A handler that loops without
    /// a scheduling point and sends or chooses on every turn would otherwise queue effects until
    /// memory runs out; past this bound the step ends in a <see cref="BugKind.EffectBound"/> bug.
    /// </summary>
    public const int MaxEffectsPerStep = 100_000;

    /// <summary>
    /// How long a step may go on running once the time limit (<see cref="TestingTimeout"/>) has
    /// passed, or, when a trace of a step that did not return is replayed, from the start, before
    /// the watchdog reports it as a step that does not return (<see cref="BugKind.Hang"/>). Model code
    /// cannot be interrupted, so the engine then returns with that step's thread still running.
    /// </summary>
    public TimeSpan WatchdogGrace { get; set; } = TimeSpan.FromSeconds(5);

    public Configuration WithWatchdogGrace(TimeSpan grace)
    {
        WatchdogGrace = grace > TimeSpan.Zero ? grace : throw new ArgumentOutOfRangeException(nameof(grace), "the watchdog's grace must be positive");
        return this;
    }

    /// <summary>
    /// With the <c>stateful</c> strategy: the breadth-first phase stops at this many distinct
    /// states (100,000 by default), and a depth-first search from the initial state follows.
    /// </summary>
    public long BreadthFirstStates { get; set; } = 100_000;

    public Configuration WithBreadthFirstStates(long states)
    {
        BreadthFirstStates = states > 0 ? states : throw new ArgumentOutOfRangeException(nameof(states), states, "the breadth-first phase needs at least one state");
        return this;
    }

    /// <summary>
    /// The order in which a stateful search tries the operations of a state: 0 (the default) in
    /// actor order; any other value a permutation drawn from it and the state's hash, the same
    /// whenever the search meets that state. With a bitstate store it also salts the table's hash
    /// functions, so searches of different orders omit different states. Members of a swarm
    /// (<c>verify test --shard I/N</c> of <c>stateful-dfs</c>) each take their own.
    /// </summary>
    public ulong SearchOrderSeed { get; set; }

    public Configuration WithSearchOrder(ulong seed)
    {
        SearchOrderSeed = seed;
        return this;
    }

    /// <summary>A copy to change for one phase of a search, leaving this one as the user set it.</summary>
    internal Configuration Copy() => (Configuration)MemberwiseClone();

    /// <summary>How a stateful search keeps the states it visited (<see cref="Verify.StateStore"/>); hash compaction of 96 bits by default.</summary>
    public StateStore StateStore { get; set; }

    /// <summary>With <see cref="StateStore.Bitstate"/>: the table has 2^w bits (SPIN's -w; 30, 128 MB, by default).</summary>
    public int BitstateLog2Bits { get; set; } = 30;

    /// <summary>With <see cref="StateStore.Bitstate"/>: the bits each state sets (SPIN's -k; 3 by default).</summary>
    public int BitstateHashes { get; set; } = 3;

    /// <summary>Chooses how a stateful search keeps its visited states; <paramref name="log2Bits"/> and <paramref name="hashes"/> size a bitstate table.</summary>
    public Configuration WithStateStore(StateStore store, int log2Bits = 30, int hashes = 3)
    {
        if (store == StateStore.Bitstate)
        {
            if (log2Bits is < StateSpace.BitstateSet.MinLog2Bits or > StateSpace.BitstateSet.MaxLog2Bits)
            {
                throw new ArgumentOutOfRangeException(nameof(log2Bits), log2Bits, $"a bitstate table has 2^w bits, {StateSpace.BitstateSet.MinLog2Bits} <= w <= {StateSpace.BitstateSet.MaxLog2Bits}");
            }

            if (hashes is < 1 or > StateSpace.BitstateSet.MaxHashes)
            {
                throw new ArgumentOutOfRangeException(nameof(hashes), hashes, $"a state sets k bits, 1 <= k <= {StateSpace.BitstateSet.MaxHashes}");
            }
        }

        StateStore = store;
        BitstateLog2Bits = log2Bits;
        BitstateHashes = hashes;
        return this;
    }

    /// <summary>
    /// Bytes a stateful search may use (the managed heap plus the visited set), checked every 1,024
    /// transitions; past it the search stops, not exhausted, with the counts so far. 0 means no bound.
    /// </summary>
    public long MaxMemoryBytes { get; set; }

    public Configuration WithMaxMemory(long bytes)
    {
        MaxMemoryBytes = Math.Max(0, bytes);
        return this;
    }

    /// <summary>
    /// Distinct states a stateful search may reach; at the next new state it stops, not exhausted,
    /// with the counts so far. Unlike the memory bound it stops at the same state on every machine.
    /// 0 means no bound.
    /// </summary>
    public long MaxStates { get; set; }

    public Configuration WithMaxStates(long states)
    {
        MaxStates = Math.Max(0, states);
        return this;
    }

    public Configuration WithTestingIterations(uint iterations)
    {
        TestingIterations = (int)Math.Min(iterations, int.MaxValue);
        return this;
    }

    public Configuration WithRandomGeneratorSeed(ulong seed)
    {
        RandomGeneratorSeed = seed;
        return this;
    }

    public Configuration WithTestingTimeout(uint seconds)
    {
        TestingTimeout = (int)seconds;
        return this;
    }

    /// <summary>Unfair runs stop after <paramref name="maxSteps"/> steps, fair runs after ten times that (Coyote's rule).</summary>
    public Configuration WithMaxSchedulingSteps(uint maxSteps)
    {
        MaxUnfairSchedulingSteps = Clamp(maxSteps);
        MaxFairSchedulingSteps = Clamp((ulong)maxSteps * 10);
        return this;
    }

    public Configuration WithMaxSchedulingSteps(uint maxUnfairSteps, uint maxFairSteps)
    {
        if (maxFairSteps < maxUnfairSteps)
        {
            throw new ArgumentException("The fair step bound must be at least the unfair one.", nameof(maxFairSteps));
        }

        MaxUnfairSchedulingSteps = Clamp(maxUnfairSteps);
        MaxFairSchedulingSteps = Clamp(maxFairSteps);
        return this;
    }

    public Configuration WithLivenessTemperatureThreshold(uint threshold)
    {
        LivenessTemperatureThreshold = Clamp(threshold);
        return this;
    }

    public Configuration WithRandomStrategy() => WithStrategy("random", 0);

    public Configuration WithProbabilisticStrategy(uint coinFlips = 3) => WithStrategy("probabilistic", (int)coinFlips);

    public Configuration WithPrioritizationStrategy(bool isFair = false, uint priorityChangeBound = Strategies.StrategyFactory.DefaultPriorityChanges) =>
        WithStrategy(isFair ? "fair-prioritization" : "prioritization", (int)priorityChangeBound);

    public Configuration WithDelayBoundingStrategy(bool isFair = false, uint delayBound = Strategies.StrategyFactory.DefaultDelays) =>
        WithStrategy(isFair ? "fair-delay-bounding" : "delay-bounding", (int)delayBound);

    public Configuration WithDfsStrategy() => WithStrategy("dfs", 0);

    /// <summary>Coyote's spelling of <see cref="WithDfsStrategy"/>.</summary>
    public Configuration WithDFSStrategy() => WithDfsStrategy();

    public Configuration WithPortfolioStrategy() => WithStrategy("portfolio", 0);

    /// <summary>Selects a strategy by its CLI name; the bound 0 means the strategy's default.</summary>
    public Configuration WithStrategy(string name, int bound)
    {
        if (!Strategies.StrategyFactory.IsKnown(name))
        {
            throw new ArgumentException($"Unknown strategy '{name}'. Known: {string.Join(", ", Strategies.StrategyFactory.AllNames)}.", nameof(name));
        }

        SchedulingStrategy = name;
        StrategyBound = bound;
        return this;
    }

    /// <summary>Partial-order reduction for stateful-dfs and stateful-bfs: explore one order of steps that commute.</summary>
    public bool PartialOrderReduction { get; private set; }

    public Configuration WithPartialOrderReduction(bool enabled = true)
    {
        PartialOrderReduction = enabled;
        return this;
    }

    /// <summary>
    /// Stateful search also hashes every <see cref="Specifications.FrozenAttribute"/> field at every
    /// state and fails when one changed after the state it was first seen in: the proof, over the
    /// states searched, that leaving those fields out of the state is sound. Costs speed; for tests.
    /// </summary>
    public bool CheckFrozenFields { get; private set; }

    public Configuration WithFrozenFieldCheck(bool enabled = true)
    {
        CheckFrozenFields = enabled;
        return this;
    }

    /// <summary>
    /// A stateful search also walks every new state's fields and reports the
    /// <see cref="StateProfileFields"/> field paths with the most distinct values (0: no profile): where
    /// the state space grows. Costs speed (a reflection walk a state); a diagnostic for model writers.
    /// </summary>
    public int StateProfileFields { get; private set; }

    public Configuration WithStateProfile(int fields)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fields);
        StateProfileFields = fields;
        return this;
    }

    /// <summary>Stateful depth-first search keeps a snapshot every this many levels and re-executes in between (tests vary it).</summary>
    internal int SnapshotInterval { get; set; } = 8;

    /// <summary>Stateful breadth-first search keeps at most this many frontier snapshots; other states are rebuilt by re-execution.</summary>
    internal int SnapshotBudget { get; set; } = 100_000;

    public Configuration WithReproducibleTrace(string trace)
    {
        ReproducibleTrace = trace;
        return this;
    }

    public Configuration WithVerbosityEnabled(VerbosityLevel level = VerbosityLevel.Info)
    {
        IsVerbose = level > VerbosityLevel.Warning;
        return this;
    }

    public Configuration WithVerbosityEnabled(bool isVerbose)
    {
        IsVerbose = isVerbose;
        return this;
    }

    /// <summary>
    /// Coyote's timer delay: under test a timer fires, each time it is scheduled, with probability
    /// 1/<see cref="TimeoutDelay"/> (a recorded choice), so a larger value makes timeouts rarer.
    /// 0 (the default) and 1 fire at every scheduling.
    /// </summary>
    public int TimeoutDelay { get; set; }

    public Configuration WithTimeoutDelay(uint timeoutDelay)
    {
        TimeoutDelay = Clamp(timeoutDelay);
        return this;
    }

    public Configuration WithFailureOnMaxStepsBoundEnabled(bool isEnabled = true)
    {
        FailOnMaxSteps = isEnabled;
        return this;
    }

    public Configuration WithParallelism(int workers)
    {
        Parallelism = Math.Max(1, workers);
        return this;
    }

    /// <summary>Counts states entered, handlers used and transitions taken per type (Coyote's name); see <see cref="TestReport.Coverage"/>.</summary>
    public bool ReportActivityCoverage { get; set; }

    /// <summary>Coyote's name for <see cref="ReportActivityCoverage"/>.</summary>
    public bool IsActivityCoverageReported
    {
        get => ReportActivityCoverage;
        set => ReportActivityCoverage = value;
    }

    public Configuration WithActivityCoverageReported(bool isEnabled = true)
    {
        ReportActivityCoverage = isEnabled;
        return this;
    }

    /// <summary>This run's part of the iteration space: iterations k with k % <see cref="ShardCount"/> == <see cref="ShardIndex"/>.</summary>
    public int ShardIndex { get; private set; }

    public int ShardCount { get; private set; } = 1;

    /// <summary>
    /// Runs only the iterations k of [0, iterations) with k % count == index, each seeded from (seed, k)
    /// as in the whole run, so the shards of one seed together run exactly the iterations of one big run.
    /// </summary>
    public Configuration WithShard(int index, int count)
    {
        if (count < 1 || index < 0 || index >= count)
        {
            throw new ArgumentException($"Shard {index}/{count} does not exist: the index must be in [0, {count}).", nameof(index));
        }

        ShardIndex = index;
        ShardCount = count;
        return this;
    }

    internal int EffectiveThreshold => LivenessTemperatureThreshold > 0 ? LivenessTemperatureThreshold : Math.Max(1, MaxFairSchedulingSteps / 2);

    private static int Clamp(ulong v) => (int)Math.Min(v, int.MaxValue);
}
