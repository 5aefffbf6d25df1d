using System.Diagnostics;
using Verify.Actors;
using Verify.Runtime;
using Verify.StateSpace;
using Verify.Strategies;
using Verify.Traces;
using Trace = Verify.Traces.Trace;

namespace Verify.SystematicTesting;

/// <summary>
/// Runs a test for many iterations under a strategy (or replays one trace) and reports the first
/// bug with a reproducible and a readable trace. With several workers, iteration k still gets
/// the seed derived from (seed, k), and the reported bug is the one of the lowest iteration, so
/// the outcome does not depend on the number of workers.
/// </summary>
public sealed class TestingEngine : IDisposable
{
    private readonly Configuration config;
    private readonly Func<IActorRuntime, Task?> test;
    private Trace? bugTrace;
    private Func<long>? progress;

    private TestingEngine(Configuration config, Func<IActorRuntime, Task?> test)
    {
        this.config = config;
        this.test = test;
    }

    /// <summary>
    /// What <see cref="Run"/> has done so far, readable from another thread while it runs (for a
    /// progress line): iterations finished by a sampling campaign, or distinct states found by a
    /// stateful search. 0 before the run starts; a count, not a result (the report has those).
    /// </summary>
    public long Progress => progress?.Invoke() ?? 0;

    private static readonly List<TestingEngine> Running = [];
    private static long finishedElsewhere;

    /// <summary>
    /// Iterations (or states) finished so far by every engine of this process, running or done: the
    /// live count of a command that runs many campaigns (`verify stats`). Read from another thread.
    /// </summary>
    public static long ProgressInProcess
    {
        get
        {
            lock (Running)
            {
                return finishedElsewhere + Running.Sum(e => e.Progress);
            }
        }
    }

    /// <summary>Whether <see cref="Progress"/> counts states (a stateful search) rather than iterations.</summary>
    public bool ProgressCountsStates => StrategyFactory.IsStateful(config.SchedulingStrategy);

    /// <summary>Name written into trace headers; the CLI sets it to the test's full name.</summary>
    public string TestName { get; set; } = "test";

    /// <summary>Called on the worker thread after every iteration ([TestIterationDispose]).</summary>
    public Action? IterationDispose { get; set; }

    public TestReport TestReport { get; private set; } = new();

    /// <summary>The readable trace of the bug (or of the replay), empty if none.</summary>
    public string ReadableTrace { get; private set; } = string.Empty;

    /// <summary>The readable trace as typed entries, for the timeline and HTML views.</summary>
    internal IReadOnlyList<TraceEvent> TraceEvents { get; private set; } = [];

    /// <summary>The reproducible trace of the bug, empty if none.</summary>
    public string ReproducibleTrace => bugTrace is null ? string.Empty : TraceWriter.Write(bugTrace);

    /// <summary>
    /// The scenario parameters the test was built with, recorded in every trace the engine's search
    /// or sampling writes (a replayed trace keeps its own): empty for a test's own configuration.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> TraceParameters { get; set; } = [];

    /// <summary>The bug trace as data, or null.</summary>
    public Trace? BugTrace => bugTrace;

    public static TestingEngine Create(Configuration configuration, Action<IActorRuntime> test) =>
        new(configuration, r =>
        {
            test(r);
            return null;
        });

    public static TestingEngine Create(Configuration configuration, Action test) =>
        new(configuration, _ =>
        {
            test();
            return null;
        });

    public static TestingEngine Create(Configuration configuration, Func<IActorRuntime, Task> test) => new(configuration, test);

    public static TestingEngine Create(Configuration configuration, Func<Task> test) => new(configuration, _ => test());

    public void Run()
    {
        if (config.ReproducibleTrace is not null)
        {
            Replay(TraceReader.Read(config.ReproducibleTrace));
            return;
        }

        lock (Running)
        {
            Running.Add(this);
        }

        try
        {
            Explore();
        }
        finally
        {
            lock (Running)
            {
                Running.Remove(this);
                finishedElsewhere += Progress;
            }
        }
    }

    /// <summary>Coyote's engine is disposable; this one holds nothing beyond its reports, which stay readable.</summary>
    public void Dispose()
    {
    }

    public void ThrowIfBugFound()
    {
        if (TestReport.Bug is not null)
        {
            throw new AssertionFailureException(TestReport.Bug.Summary);
        }
    }

    /// <summary>
    /// Writes <c>name.trace</c> (reproducible), <c>name.txt</c> (readable), <c>name.timeline.txt</c>
    /// (one column per actor) and <c>name.html</c> (lanes and arrows); false if there is no bug.
    /// </summary>
    public bool TryEmitReports(string directory, string fileName, out IReadOnlyList<string> paths)
    {
        if (bugTrace is null)
        {
            paths = [];
            return false;
        }

        Directory.CreateDirectory(directory);
        string tracePath = Path.Combine(directory, fileName + ".trace");
        string textPath = Path.Combine(directory, fileName + ".txt");
        string timelinePath = Path.Combine(directory, fileName + ".timeline.txt");
        string htmlPath = Path.Combine(directory, fileName + ".html");
        TraceWriter.WriteFile(tracePath, bugTrace);
        File.WriteAllText(textPath, ReadableTrace);
        File.WriteAllText(timelinePath, TraceTimeline.Render(TraceEvents, TestName));
        File.WriteAllText(htmlPath, TraceHtml.Render(TraceEvents, TestName));
        paths = [tracePath, textPath, timelinePath, htmlPath];
        return true;
    }

    /// <summary>
    /// Shrinks a buggy trace (see <see cref="TraceMinimizer"/>) within <paramref name="budget"/> replays,
    /// then replays the result strictly, which fills the report and the readable trace. Null when the
    /// trace does not end in its recorded bug.
    /// </summary>
    internal MinimizeResult? Minimize(Trace trace, int budget)
    {
        MinimizeResult? result = null;
        new Watchdog().Run(() => result = new TraceMinimizer(test, IterationDispose, trace, budget).Run(), Stopwatch.StartNew(), System.Threading.Timeout.InfiniteTimeSpan, config.WatchdogGrace);
        if (result is not null)
        {
            Replay(result.Minimized);
        }

        return result;
    }

    /// <summary>True for a trace of a step the watchdog gave up on.</summary>
    internal static bool IsHang(Trace trace) => trace.Bug?.StartsWith(nameof(BugKind.Hang) + ":", StringComparison.Ordinal) == true;

    /// <summary>
    /// Replays <paramref name="trace"/>: reproduces its bug, or reports the step where the model
    /// diverged. The replay runs on a thread of its own (<see cref="Watchdog.StackSize"/>); the trace of a
    /// step that did not return replays under the watchdog, which gives up on that step again after
    /// <see cref="Configuration.WatchdogGrace"/> and leaves its thread running.
    /// </summary>
    public void Replay(Trace trace)
    {
        var report = new TestReport
        {
            TestName = TestName,
            Strategy = "replay",
            Seed = trace.Seed ?? 0,
            MaxUnfairSteps = trace.MaxSteps,
            MaxFairSteps = trace.MaxSteps,
            LivenessThreshold = trace.LivenessThreshold,
        };
        TestReport = report;
        var sw = Stopwatch.StartNew();
        var watch = new ReplayWatch();
        var dog = new Watchdog();
        dog.Watch(watch);
        string? divergence = null;
        string? error = null;
        Hang? hang = dog.Run(
            () =>
            {
                try
                {
                    ActorRuntime finished = IterationRunner.Replay(test, trace, watch);
                    divergence = CheckReplayOutcome(trace, finished, watch.Strategy!);
                }
                catch (TraceDivergenceException ex)
                {
                    divergence = ex.Message;
                }
                catch (Exception ex) when (ex is ModelDefinitionException or NondeterministicModelException)
                {
                    error = ex.Message;
                }
            },
            sw,
            IsHang(trace) ? TimeSpan.Zero : System.Threading.Timeout.InfiniteTimeSpan,
            config.WatchdogGrace);

        sw.Stop();
        ActorRuntime? runtime = watch.Runtime;
        BugReport? bug = runtime?.Bug;
        if (hang is not null)
        {
            bug = hang.Bug;
            runtime!.Log?.Abandoned(hang.Bug, hang.Bug.Step, hang.InBody ? null : runtime.Running);
            divergence = CheckHangOutcome(trace, hang, watch.Strategy!);
            report.Watchdog = Watchdog.Line(hang, TimeSpan.Zero);
        }

        report.Divergence = divergence;
        report.Error = error;
        report.Elapsed = sw.Elapsed;
        report.Iterations = 1;
        if (runtime is not null)
        {
            ReadableTrace = runtime.Log!.ToString();
            TraceEvents = runtime.Log.Events;
            report.TotalSteps = runtime.Steps;
            report.MaxSteps = report.MinSteps = runtime.Steps;
            report.TotalDecisions = watch.Decisions.Count;
            if (report.Divergence is null && bug is not null)
            {
                report.Bug = bug;
                report.BugIteration = trace.Iteration;
                report.BugStrategy = trace.Strategy;
                report.BugReports.Add(bug.Message);
                bugTrace = trace;
            }
        }
    }

    /// <summary>A replayed step that did not return reproduces the trace when the trace records that step and nothing after it.</summary>
    private static string? CheckHangOutcome(Trace trace, Hang hang, ReplayStrategy replay)
    {
        string summary = hang.Bug.Summary.ReplaceLineEndings(" ");
        if (summary != trace.Bug)
        {
            return $"Trace diverged at step {hang.Bug.Step}: the replay found a different bug: {summary}; the trace records: {trace.Bug ?? "no bug"}.";
        }

        return replay.Remaining > 0
            ? $"Trace diverged at step {hang.Bug.Step}: the step did not return with {replay.Remaining} decisions of the trace left unused."
            : null;
    }

    private static string? CheckReplayOutcome(Trace trace, ActorRuntime runtime, ReplayStrategy replay)
    {
        int step = replay.Consumed;
        if (runtime.Bug is null)
        {
            if (replay.Remaining > 0)
            {
                return $"Trace diverged at step {step + 1}: the run ended ({Describe(runtime.End)}) but the trace has {replay.Remaining} more decisions.";
            }

            return trace.Bug is null
                ? null
                : $"Trace diverged at step {step}: the replay used every decision without reproducing the recorded bug ({trace.Bug}).";
        }

        if (trace.Bug is not null && runtime.Bug.Summary.ReplaceLineEndings(" ") != trace.Bug)
        {
            return $"Trace diverged at step {step}: the replay found a different bug: {runtime.Bug.Summary}; the trace records: {trace.Bug}.";
        }

        if (replay.Remaining > 0)
        {
            return $"Trace diverged at step {step}: the bug happened with {replay.Remaining} decisions of the trace left unused.";
        }

        return null;
    }

    private static string Describe(RunEnd end) => end switch
    {
        RunEnd.Terminated => "no operation was enabled",
        RunEnd.StepBound => "the step bound was reached",
        _ => "a bug",
    };

    private void Explore()
    {
        string name = config.SchedulingStrategy;
        bool stateful = StrategyFactory.IsStateful(name);

        // A stateful search tries every choice, so it needs no seed and draws none.
        ulong seed = config.RandomGeneratorSeed ?? (stateful ? 0 : (ulong)Environment.TickCount64 * 0x9E3779B97F4A7C15UL);
        int workers = name == "dfs" || name == "stateful-bfs" ? 1 : config.Parallelism;
        var report = new TestReport
        {
            TestName = TestName,
            Strategy = config.StrategyBound > 0 ? $"{name}(bound={config.StrategyBound})" : name,
            Seed = seed,
            Workers = workers,
            ShardIndex = config.ShardIndex,
            ShardCount = config.ShardCount,
            MaxUnfairSteps = config.MaxUnfairSchedulingSteps,
            MaxFairSteps = config.MaxFairSchedulingSteps,
            LivenessThreshold = config.EffectiveThreshold,
        };
        TestReport = report;
        var sw = Stopwatch.StartNew();
        var dog = new Watchdog();
        TimeSpan limit = config.TestingTimeout > 0 ? TimeSpan.FromSeconds(config.TestingTimeout) : System.Threading.Timeout.InfiniteTimeSpan;
        Hang? hang = null;
        try
        {
            if (stateful)
            {
                hang = ExploreStateSpace(report, sw, dog, limit);
            }
            else
            {
                var campaign = new Campaign(this, seed, StrategyFactory.NeedsLengthHint(name), workers, sw, dog);
                progress = campaign.Finished;
                hang = dog.Run(campaign.Run, sw, limit, config.WatchdogGrace);
                if (hang is not null)
                {
                    campaign.Abandon(hang);
                }

                campaign.Fill(report);
            }
        }
        catch (Exception ex) when (ex is ModelDefinitionException or NondeterministicModelException or StateCaptureException)
        {
            report.Error = ex.Message;
        }

        sw.Stop();
        report.Elapsed = sw.Elapsed;
        if (hang is not null)
        {
            report.Watchdog = Watchdog.Line(hang, limit);
            DescribeHang(hang);
        }
        else if (report.Bug is not null && bugTrace is not null)
        {
            ConfirmBug(report);
        }
    }

    /// <summary>
    /// The readable trace of a run with a step the watchdog gave up on: the trace replayed with
    /// logging and stopped by a step bound just before that step (its decisions are left unused), then
    /// the step given up on. A step of the test method has nothing before it to replay that would not
    /// run it again.
    /// </summary>
    private void DescribeHang(Hang hang)
    {
        int step = hang.Bug.Step;
        long stalled = hang.InBody ? 0 : hang.Runtime.Running?.Id.Value ?? 0;
        ReadableLog log = new(() => step);
        Actor? actor = null;
        if (!hang.InBody && step > 0)
        {
            Trace prefix = bugTrace! with { Bug = null, LoopStart = null };
            var watch = new ReplayWatch();
            var dog = new Watchdog();
            dog.Watch(watch);
            dog.Run(
                () =>
                {
                    try
                    {
                        IterationRunner.Replay(test, prefix, watch, maxSteps: step - 1);
                    }
                    catch (TraceDivergenceException)
                    {
                        // A model that does not replay its own steps: the log shows how far it got.
                    }
                },
                Stopwatch.StartNew(),
                TimeSpan.Zero,
                config.WatchdogGrace);
            if (watch.Runtime is { Log: not null } replayed)
            {
                log = replayed.Log;
                actor = stalled >= 1 && stalled <= replayed.Actors.Count ? replayed.Actors[(int)stalled - 1] : null;
            }
        }

        log.Abandoned(hang.Bug, step, actor);
        ReadableTrace = log.ToString();
        TraceEvents = log.Events;
    }

    /// <summary>Stateful exhaustive search (stateful-dfs, stateful-bfs): every reachable state once, within the step bound.</summary>
    private Hang? ExploreStateSpace(TestReport report, Stopwatch clock, Watchdog dog, TimeSpan limit)
    {
        if (config.SchedulingStrategy != "stateful")
        {
            return Search(config, report, clock, dog, limit);
        }

        // Breadth-first within its bound, so a shallow bug is found at once and with the fewest
        // steps; where that bound stopped it, depth-first from the initial state, which needs far
        // less memory a state (and finds what the first phase found too, so nothing is lost).
        long bound = config.MaxStates > 0 ? Math.Min(config.MaxStates, config.BreadthFirstStates) : config.BreadthFirstStates;
        Configuration bfs = config.Copy();
        bfs.WithStrategy("stateful-bfs", config.StrategyBound);
        bfs.MaxStates = bound;
        Hang? hang = Search(bfs, report, clock, dog, limit);
        StateSpaceReport first = report.StateSpace!;
        bool onlyBound = hang is null && report.Bug is null && report.Error is null && !report.Exhausted && first.StateBound && bound < (config.MaxStates > 0 ? config.MaxStates : long.MaxValue);
        string phase = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"breadth-first within {bound:N0} states ({first.Elapsed.TotalSeconds:F1} s): ");
        if (!onlyBound)
        {
            first.Order = phase + (report.Bug is not null ? "found the bug" : report.Exhausted ? "exhausted the space" : "stopped");
            return hang;
        }

        Configuration dfs = config.Copy();
        dfs.WithStrategy("stateful-dfs", config.StrategyBound);
        report.Bug = null;
        report.BugStrategy = null;
        hang = Search(dfs, report, clock, dog, limit);
        report.StateSpace!.Order = phase + $"reached its bound with no bug; then depth-first from the initial state ({report.StateSpace.Elapsed.TotalSeconds - first.Elapsed.TotalSeconds:F1} s), whose counts are these";
        return hang;
    }

    /// <summary>One stateful search (stateful-dfs, on workers when asked, or stateful-bfs) under <paramref name="config"/>.</summary>
    private Hang? Search(Configuration config, TestReport report, Stopwatch clock, Watchdog dog, TimeSpan limit)
    {
        bool breadthFirst = config.SchedulingStrategy == "stateful-bfs";
        StatefulSearch search;
        Hang? hang = null;
        if (!breadthFirst && config.Parallelism > 1)
        {
            search = StatefulSearch.RunParallel(test, config, config.Parallelism, IterationDispose, clock, dog, limit, out Exception? failure, out hang, searches => progress = () => searches.Sum(s => s.States));
            report.Strategy = search.Describe();
            search.Fill(report, clock.Elapsed);
            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }
        }
        else
        {
            search = new StatefulSearch(test, config, breadthFirst, config.PartialOrderReduction, IterationDispose, clock);
            StatefulSearch published = search;
            progress = () => published.States;
            dog.Watch(search);
            report.Strategy = search.Describe();
            try
            {
                hang = dog.Run(search.Run, clock, limit, config.WatchdogGrace);
                if (hang is not null)
                {
                    search.Abandon(hang);
                }
            }
            finally
            {
                search.Fill(report, clock.Elapsed);
            }
        }

        // The workers' counts were folded into one search's by Fill: from now on the report's count.
        long states = report.StateSpace?.States ?? 0;
        progress = () => states;
        if (search.Bug is not null)
        {
            bugTrace = search.BugTrace(TestName) with { Parameters = TraceParameters };
        }

        return hang;
    }

    /// <summary>Replays the bug with logging: yields the readable trace and checks the model is deterministic.</summary>
    private void ConfirmBug(TestReport report)
    {
        var replayEngine = new TestingEngine(config, test) { TestName = TestName, IterationDispose = IterationDispose };
        replayEngine.Replay(bugTrace!);
        ReadableTrace = replayEngine.ReadableTrace;
        TraceEvents = replayEngine.TraceEvents;
        if (replayEngine.TestReport.Bug?.Summary != report.Bug!.Summary)
        {
            report.Error = "The model is not deterministic: replaying the buggy iteration "
                + $"did not reproduce the bug ({replayEngine.TestReport.Divergence ?? replayEngine.TestReport.Bug?.Summary ?? "no bug"}). "
                + "Models must take every choice from the engine (no clocks, System.Random or shared statics across iterations).";
        }
    }

    /// <summary>One exploration campaign over worker threads.</summary>
    private sealed class Campaign(TestingEngine engine, ulong seed, bool calibrate, int workers, Stopwatch clock, Watchdog dog)
    {
        // Iterations below every worker's current one can no longer fall after the first bug, so
        // their records are folded into per-worker totals; only the few above stay as records.
        private const int FoldEvery = 256;

        private readonly object gate = new();
        // Filled by each worker when it ends; during the run each keeps its own (allocated on its own
        // thread, so two workers' counters never share a cache line).
        private readonly List<IterationRecord>[] pending = new List<IterationRecord>[workers];
        private readonly IterationTotals[] totals = new IterationTotals[workers];
        private readonly IterationRunner?[] runners = new IterationRunner?[workers];

        // The iteration whose step did not return, counted with the steps it had run.
        private IterationRecord? abandoned;
        private readonly CoverageCounter?[] coverage = new CoverageCounter?[workers];
        // Each worker's current iteration, one cache line apart: workers write theirs every iteration.
        private const int Stride = 16;
        private readonly int[] running = new int[workers * Stride];
        // Iterations each worker has finished, one cache line apart, for the progress line.
        private readonly long[] finished = new long[workers * Stride];
        private int best = int.MaxValue;
        private BugReport? bug;
        private string? bugStrategy;
        private bool exhausted;
        private bool timedOut;
        private bool interrupted;
        private Exception? failure;

        // Change points of PCT and delay bounding fall in [1, hint]: see Calibrate.
        private int hint;

        // Iterations below this one were run before the workers started (iteration 0 when it calibrated).
        private int first;
        private IterationRecord? calibration;
        private CoverageCounter? calibrationCoverage;

        /// <summary>Iterations finished so far by every worker (and the calibration run); read from another thread.</summary>
        internal long Finished()
        {
            long sum = first;
            for (int w = 0; w < workers; w++)
            {
                sum += System.Threading.Volatile.Read(ref finished[w * Stride]);
            }

            return sum;
        }

        internal void Run()
        {
            if (calibrate)
            {
                Calibrate();
            }

            if (workers == 1)
            {
                Work(0);
            }
            else
            {
                WorkerThreads.Run(workers, "verify-worker", Work);
            }

            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }
        }

        /// <summary>
        /// PCT and delay bounding need the schedule length before their first iteration, and every
        /// worker must use the same one so that an iteration's schedule depends only on (seed, k).
        /// Iteration 0 runs first, on this thread, under the random strategy (the portfolio's own
        /// iteration 0), and its length is the hint; it counts as an iteration like any other, so
        /// the test body runs once per iteration. The run has the campaign strategy's fairness (its
        /// step bound and liveness checks). A shard that does not own iteration 0 still runs it
        /// to learn the hint, without counting it.
        /// </summary>
        private void Calibrate()
        {
            Configuration c = engine.config;
            if (c.TestingIterations <= c.ShardIndex)
            {
                return; // this shard runs no iteration, so it needs no schedule length
            }

            bool counts = c.ShardIndex == 0;
            var strategy = new RandomStrategy(seed);
            strategy.PrepareIteration(0);
            IStrategy campaign = StrategyFactory.Create(c.SchedulingStrategy, c.StrategyBound, seed, 1, c.MaxUnfairSchedulingSteps);
            var runner = new IterationRunner(engine.test, c, strategy, engine.IterationDispose)
            {
                // The step bound and liveness checks of the strategy asked for: an unfair PCT run stops at the unfair bound.
                Fair = campaign.IsFair,
                Coverage = calibrationCoverage = counts && c.ReportActivityCoverage ? new CoverageCounter() : null,
            };
            dog.Watch(runner);
            ActorRuntime r = runner.Run(0, out IterationRecord rec);
            hint = Math.Max(1, r.MultiSteps);
            if (!counts)
            {
                return;
            }

            calibration = rec;
            first = 1;
            if (r.Bug is not null)
            {
                Found(0, r, runner, strategy.Describe());
            }
        }

        private void Work(int w)
        {
            try
            {
                Configuration c = engine.config;
                IStrategy strategy = StrategyFactory.Create(c.SchedulingStrategy, c.StrategyBound, seed, hint, c.MaxUnfairSchedulingSteps);
                var runner = new IterationRunner(engine.test, c, strategy, engine.IterationDispose)
                {
                    Coverage = coverage[w] = c.ReportActivityCoverage ? new CoverageCounter() : null,
                };
                runners[w] = runner;
                dog.Watch(runner);

                // Published from the start, so the counts are readable if a step of this worker never returns.
                var mine = new List<IterationRecord>();
                pending[w] = mine;
                TimeSpan limit = c.TestingTimeout > 0 ? TimeSpan.FromSeconds(c.TestingTimeout) : TimeSpan.MaxValue;

                // A shard runs iterations k with k % ShardCount == ShardIndex, dealt round robin to its workers.
                for (long next = c.ShardIndex + ((long)w * c.ShardCount); next < c.TestingIterations; next += (long)workers * c.ShardCount)
                {
                    int k = (int)next;
                    if (k < first)
                    {
                        continue;
                    }

                    System.Threading.Volatile.Write(ref running[w * Stride], k);
                    if (k > System.Threading.Volatile.Read(ref best) || System.Threading.Volatile.Read(ref failure) is not null)
                    {
                        break;
                    }

                    if (clock.Elapsed > limit)
                    {
                        timedOut = true;
                        break;
                    }

                    if (StopRequest.IsRequested)
                    {
                        interrupted = true;
                        break;
                    }

                    if (!strategy.PrepareIteration(k))
                    {
                        exhausted = true;
                        break;
                    }

                    ActorRuntime r = runner.Run(k, out IterationRecord rec);
                    System.Threading.Volatile.Write(ref finished[w * Stride], finished[w * Stride] + 1);
                    mine.Add(rec);
                    if (r.Bug is not null)
                    {
                        Found(k, r, runner, strategy.Describe());
                        break;
                    }

                    if (mine.Count >= FoldEvery)
                    {
                        Fold(mine, ref totals[w]);
                    }
                }
            }
            catch (Exception ex)
            {
                System.Threading.Interlocked.CompareExchange(ref failure, ex, null);
            }
            finally
            {
                System.Threading.Volatile.Write(ref running[w * Stride], int.MaxValue);
            }
        }

        private void Fold(List<IterationRecord> mine, ref IterationTotals folded)
        {
            int floor = int.MaxValue;
            for (int i = 0; i < running.Length; i += Stride)
            {
                floor = Math.Min(floor, System.Threading.Volatile.Read(ref running[i]));
            }

            int kept = 0;
            for (int i = 0; i < mine.Count; i++)
            {
                IterationRecord rec = mine[i];
                if (rec.Iteration < floor)
                {
                    folded.Add(rec);
                }
                else
                {
                    mine[kept++] = rec;
                }
            }

            mine.RemoveRange(kept, mine.Count - kept);
        }

        private void Found(int k, ActorRuntime r, IterationRunner runner, string description)
        {
            lock (gate)
            {
                if (k >= best)
                {
                    return;
                }

                best = k;
                bug = r.Bug;
                bugStrategy = description;
                RunSettings s = runner.SettingsFor(runner.Strategy);
                engine.bugTrace = BugTrace(description, k, s, r.Bug!, runner.Decisions.ToArray());
            }
        }

        /// <summary>The trace of iteration <paramref name="k"/>'s bug, found by <paramref name="strategy"/> under settings <paramref name="s"/>.</summary>
        private Trace BugTrace(string strategy, int k, RunSettings s, BugReport found, Decision[] decisions) => new()
        {
            Test = engine.TestName,
            Parameters = engine.TraceParameters,
            Strategy = strategy,
            Iteration = k,
            Seed = seed,
            MaxSteps = s.MaxSteps,
            Fair = s.Fair,
            LivenessThreshold = s.LivenessThreshold,
            FailOnMaxSteps = s.FailOnMaxSteps,
            TimeoutDelay = s.TimeoutDelay,
            Bug = found.Summary.ReplaceLineEndings(" "),
            Decisions = decisions,
        };

        /// <summary>
        /// A step of <paramref name="hang"/>'s runner did not return: its iteration becomes the
        /// campaign's bug, the other workers stop at their next iteration (given the watchdog's grace
        /// to get there), and the stuck one's thread is left as it is.
        /// </summary>
        internal void Abandon(Hang hang)
        {
            var runner = (IterationRunner)hang.Watched;
            int k = runner.Iteration;
            RunSettings s = runner.SettingsFor(runner.Strategy);
            lock (gate)
            {
                best = k;
                bug = hang.Bug;
                bugStrategy = runner.Strategy.Describe();
                engine.bugTrace = BugTrace(bugStrategy, k, s, hang.Bug, hang.Decisions);
            }

            abandoned = new IterationRecord(k, hang.Runtime.Steps, hang.Decisions.Length, RunEnd.Bug, s.Fair, HasLiveness: false);
            int stuck = Array.IndexOf(runners, runner);
            if (stuck < 0)
            {
                // The calibration iteration, run before any worker started.
                return;
            }

            Watchdog.Await(() => Enumerable.Range(0, workers).All(w => w == stuck || Finished(w)), engine.config.WatchdogGrace);
            for (int w = 0; w < workers; w++)
            {
                if (w != stuck && !Finished(w))
                {
                    // Still running after the grace: its records may be changing, so they are left out.
                    pending[w] = null!;
                }
            }
        }

        private bool Finished(int w) => System.Threading.Volatile.Read(ref running[w * Stride]) == int.MaxValue;

        /// <summary>Aggregates every iteration up to the first bug, whichever worker ran it.</summary>
        internal void Fill(TestReport report)
        {
            var all = default(IterationTotals);
            foreach (IterationTotals t in totals)
            {
                all.Add(t);
            }

            foreach (IterationRecord rec in pending.Where(l => l is not null).SelectMany(l => l).Where(r => r.Iteration <= best))
            {
                all.Add(rec);
            }

            if (calibration is IterationRecord zero)
            {
                all.Add(zero);
            }

            if (abandoned is IterationRecord stuck)
            {
                all.Add(stuck);
            }

            all.CopyTo(report);
            if (coverage.Any(x => x is not null) || calibrationCoverage is not null)
            {
                var sum = new CoverageCounter();
                if (calibrationCoverage is not null)
                {
                    sum.Add(calibrationCoverage);
                }

                foreach (CoverageCounter? x in coverage)
                {
                    if (x is not null)
                    {
                        sum.Add(x);
                    }
                }

                report.Coverage = CoverageReport.Build(sum, sum.Iterations);
            }

            report.Exhausted = exhausted && bug is null;
            report.TimedOut = timedOut;
            report.Interrupted = interrupted;
            if (bug is not null)
            {
                report.Bug = bug;
                report.BugIteration = best;
                report.BugStrategy = bugStrategy;
                report.BugReports.Add(bug.Message);
            }
        }
    }
}
