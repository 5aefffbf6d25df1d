using Verify.Strategies;
using Verify.SystematicTesting;

namespace Verify.Harness.Commands;

/// <summary>`verify test`: explore one test's schedules with Coyote's flags.</summary>
internal static class TestCommand
{
    internal static readonly OptionSpec Help = new("help", ["-h", "-?"], false, "show this help");

    internal static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("method", ["-m"], true, "the test to run (full name or a trailing part of it)", "NAME"),
        new("iterations", ["-i"], true, "iterations to run (default 100)"),
        new("timeout", ["-t"], true, "stop after N seconds (default: none); a step still running --watchdog seconds past it is reported and the process ends (exit 5)", "SECONDS"),
        new("watchdog", [], true, "seconds a step may go on running past -t (or a SIGINT/SIGTERM) before it is reported as not returning (default 5)", "SECONDS"),
        new("strategy", ["-s"], true, $"{string.Join(", ", StrategyFactory.AllNames)} (default: portfolio)", "NAME"),
        new("strategy-value", ["-sv"], true, "the strategy's bound: coin flips, priority changes or delays"),
        new("seed", [], true, "run seed (default: random, printed in the summary)"),
        new("max-steps", ["-ms"], true, "step bound: N for unfair runs, 10N for fair runs (default 10000)"),
        new("max-unfair-steps", [], true, "step bound of unfair runs"),
        new("max-fair-steps", [], true, "step bound of fair runs"),
        new("liveness-temperature-threshold", [], true, "steps a monitor may stay hot in a fair run (default: half the fair bound)"),
        new("fail-on-max-steps", [], false, "reaching the step bound is a bug"),
        new("por", [], false, "partial-order reduction for stateful-dfs and stateful-bfs"),
        new("parallel", [], true, $"run iterations on N cores, at most {Environment.ProcessorCount} here (same result for a seed); stateful-dfs: N workers sharing one visited set"),
        new("max-memory", [], true, $"stateful-dfs/bfs: stop, not exhausted, when the heap and visited set reach SIZE (512M, 4G; default half the memory, {Options.DefaultMaxMemory >> 20} MB here)", "SIZE"),
        new("max-states", [], true, "stateful-dfs/bfs: stop, not exhausted, at the first state beyond N distinct states (default: no bound)"),
        new("bfs-states", [], true, "-s stateful: the breadth-first phase's bound (default 100,000 distinct states); where it stops the search, a depth-first search from the initial state follows"),
        new("hash-compact", [], false, "stateful-dfs/bfs: keep a 64-bit fingerprint a state (8 bytes, no depths) instead of 96 bits and the depth; the summary gives the collision probability"),
        new("bitstate", [], true, $"stateful-dfs/bfs: keep visited states in a table of 2^W bits ({StateStoreLimits.MinLog2Bits} <= W <= {StateStoreLimits.MaxLog2Bits}), memory fixed, some states omitted: a probabilistic search whose summary estimates its coverage (SPIN's -DBITSTATE -wW)", "W"),
        new("bitstate-hashes", [], true, $"with --bitstate: bits a state sets (1..{StateStoreLimits.MaxHashes}, default 3; SPIN's -k)", "K"),
        new("state-profile", [], true, "stateful-dfs/bfs on one worker: after the search, list the N field paths that took the most distinct values over its states (where the state space grows; a reflection walk a state, so slow)"),
        new("param", [], true, "NAME=VALUE: a protocol scenario's parameter (repeatable; `verify list --params <scenario>` lists them); recorded in the trace", "NAME=VALUE"),
        new("outdir", ["-o"], true, "where bug traces and the report go (default ./verify-out)", "DIR"),
        new("verbose", ["-v"], false, "print the readable trace of a bug"),
        new("shard", [], true, "I/N: run only iterations k with k % N == I (0 <= I < N); with stateful-dfs, swarm member I, searching in its own order; `verify merge` combines the shards' reports", "I/N"),
        new("no-coverage", [], false, "do not count coverage (states, handlers, transitions)"),
        Help,
    ];

    internal const string UsageLine = "Usage: verify test <assembly.dll|scenario> [options]";

    internal static ExitCode Run(string[] args, TextWriter stdout)
    {
        Options o = Options.Parse(args, Specs, "test");
        if (Cli.WantsHelp(o, stdout, UsageLine, Specs))
        {
            return ExitCode.Success;
        }

        if (o.Positionals.Count != 1)
        {
            throw new UsageException($"`verify test` takes one assembly or scenario name. {UsageLine}");
        }

        string target = o.Positionals[0];
        bool isAssembly = TestRegistry.IsAssemblyPath(target);
        IReadOnlyList<TestCase> tests = TestRegistry.From(target, out string source);
        TestCase test = TestRegistry.Select(tests, isAssembly ? o.String("method") : o.String("method") ?? target, source);
        test = ScenarioParams.Apply(test, ScenarioParams.Parse(o.Strings("param")));
        Configuration config = BuildConfiguration(o, fallbackIterations: 100);
        config.WithActivityCoverageReported(!o.Has("no-coverage"));
        string fileName = test.FullName;
        if (o.String("shard") is string shard)
        {
            (int index, int count) = ParseShard(shard);
            if (config.SchedulingStrategy == "dfs")
            {
                throw new UsageException("dfs walks one schedule tree in order, so its iterations cannot be split by number; shard a sampling strategy (random, prioritization, ...).");
            }

            if (StrategyFactory.IsStateful(config.SchedulingStrategy) && config.SchedulingStrategy != "stateful-dfs")
            {
                throw new UsageException($"{config.SchedulingStrategy} keeps one visited set in memory, so it cannot be split between machines; "
                    + "shard stateful-dfs as a swarm (each shard searches the whole space in its own order), use --parallel N for the cores of one machine, or shard a sampling strategy (random, prioritization, ...).");
            }

            if (config.SchedulingStrategy == "stateful-dfs")
            {
                // A swarm member: the whole space, in the order (and bitstate hashing) of its index.
                config.WithSearchOrder((ulong)index);
            }

            config.WithShard(index, count);
            fileName += $".shard-{index}-of-{count}";
        }

        string outDir = OutputPaths.WritableDirectory(o.String("outdir") ?? "verify-out", "-o");
        TestingEngine engine = Runner.Explore(test, config, Progress.ForTerminal(stdout));
        return Runner.Report(engine, target, outDir, o.Has("verbose"), stdout, fileName, config.TestingIterations, test.Parameters);
    }

    /// <summary>--watchdog SEC: how long a step may run past the time limit (or, replaying a step that did not return, at all).</summary>
    internal static TimeSpan Watchdog(Options o) => TimeSpan.FromSeconds(o.Int("watchdog", 5, 1));

    internal static (int Index, int Count) ParseShard(string s)
    {
        string[] parts = s.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count)
            && count >= 1 && index < count)
        {
            return (index, count);
        }

        throw new UsageException($"--shard needs I/N with 0 <= I < N (e.g. --shard 0/4 ... --shard 3/4), not '{s}'.");
    }

    internal static Configuration BuildConfiguration(Options o, int fallbackIterations)
    {
        Configuration c = Configuration.Create().WithTestingIterations((uint)o.Int("iterations", fallbackIterations, 1));
        string strategy = o.String("strategy") ?? "portfolio";
        if (!StrategyFactory.IsKnown(strategy))
        {
            throw new UsageException($"Unknown strategy '{strategy}'. Known: {string.Join(", ", StrategyFactory.AllNames)}.");
        }

        c.WithStrategy(strategy, o.Int("strategy-value", 0, 0));
        c.WithPartialOrderReduction(o.Has("por"));
        if (o.ULong("seed") is ulong seed)
        {
            c.WithRandomGeneratorSeed(seed);
        }

        if (o.Has("max-steps"))
        {
            c.WithMaxSchedulingSteps((uint)o.Int("max-steps", 0, 1));
        }

        int unfair = o.Int("max-unfair-steps", c.MaxUnfairSchedulingSteps, 1);
        int fair = o.Int("max-fair-steps", Math.Max(c.MaxFairSchedulingSteps, unfair), 1);
        if (fair < unfair)
        {
            throw new UsageException($"--max-fair-steps ({fair}) must be at least the unfair bound ({unfair}).");
        }

        c.WithMaxSchedulingSteps((uint)unfair, (uint)fair);
        if (o.Has("liveness-temperature-threshold"))
        {
            c.WithLivenessTemperatureThreshold((uint)o.Int("liveness-temperature-threshold", 0, 1));
        }

        c.WithWatchdogGrace(Watchdog(o))
            .WithTestingTimeout((uint)o.Int("timeout", 0, 0))
            .WithFailureOnMaxStepsBoundEnabled(o.Has("fail-on-max-steps"))
            .WithParallelism(o.Parallel(1))
            .WithMaxMemory(o.Bytes("max-memory", Options.DefaultMaxMemory))
            .WithMaxStates(o.Long("max-states", 0, 1));
        if (o.Has("bfs-states"))
        {
            if (c.SchedulingStrategy != "stateful")
            {
                throw new UsageException("--bfs-states bounds the breadth-first phase of -s stateful.");
            }

            c.WithBreadthFirstStates(o.Long("bfs-states", 100_000, 1));
        }

        if (o.Has("state-profile"))
        {
            if (!c.SchedulingStrategy.StartsWith("stateful-", StringComparison.Ordinal) || c.Parallelism > 1)
            {
                throw new UsageException("--state-profile profiles a stateful-dfs or stateful-bfs search on one worker.");
            }

            c.WithStateProfile(o.Int("state-profile", 20, 1));
        }

        if (o.Has("bitstate") && o.Has("hash-compact"))
        {
            throw new UsageException("--bitstate and --hash-compact are two ways to keep the visited states; give one.");
        }

        if (o.Has("bitstate-hashes") && !o.Has("bitstate"))
        {
            throw new UsageException("--bitstate-hashes sizes a bitstate table; give --bitstate W too.");
        }

        if (o.Has("bitstate"))
        {
            int w = o.Int("bitstate", 30, StateStoreLimits.MinLog2Bits);
            if (w > StateStoreLimits.MaxLog2Bits)
            {
                throw new UsageException($"--bitstate {w}: the table has 2^W bits with W at most {StateStoreLimits.MaxLog2Bits}.");
            }

            int k = o.Int("bitstate-hashes", 3, 1);
            if (k > StateStoreLimits.MaxHashes)
            {
                throw new UsageException($"--bitstate-hashes {k}: a state sets at most {StateStoreLimits.MaxHashes} bits.");
            }

            c.WithStateStore(StateStore.Bitstate, w, k);
        }
        else if (o.Has("hash-compact"))
        {
            c.WithStateStore(StateStore.HashCompact64);
        }

        return c;
    }
}
