using Verify.Actors;
using Verify.Runtime;
using Verify.Strategies;
using Verify.Traces;

namespace Verify.SystematicTesting;

/// <summary>What one iteration did, kept compactly so parallel workers can be merged deterministically.</summary>
internal readonly record struct IterationRecord(int Iteration, int Steps, int Decisions, RunEnd End, bool Fair, bool HasLiveness)
{
    /// <summary>The run reached the step bound with --fail-on-max-steps, which made it a bug: it hit the bound all the same.</summary>
    internal bool HitBoundAsBug { get; init; }
}

/// <summary>Sums of iteration records; the report's counters.</summary>
internal struct IterationTotals
{
    private int iterations;
    private int fair;
    private int unfair;
    private int stepBoundHits;
    private int terminated;
    private long steps;
    private long decisions;
    private int maxSteps;
    private int minSteps;
    private bool hasLiveness;

    internal void Add(in IterationRecord r)
    {
        if (iterations++ == 0)
        {
            minSteps = int.MaxValue;
        }

        fair += r.Fair ? 1 : 0;
        unfair += r.Fair ? 0 : 1;
        stepBoundHits += r.End == RunEnd.StepBound || r.HitBoundAsBug ? 1 : 0;
        terminated += r.End == RunEnd.Terminated ? 1 : 0;
        steps += r.Steps;
        decisions += r.Decisions;
        maxSteps = Math.Max(maxSteps, r.Steps);
        minSteps = Math.Min(minSteps, r.Steps);
        hasLiveness |= r.HasLiveness;
    }

    internal void Add(in IterationTotals t)
    {
        if (t.iterations == 0)
        {
            return;
        }

        minSteps = iterations == 0 ? t.minSteps : Math.Min(minSteps, t.minSteps);
        iterations += t.iterations;
        fair += t.fair;
        unfair += t.unfair;
        stepBoundHits += t.stepBoundHits;
        terminated += t.terminated;
        steps += t.steps;
        decisions += t.decisions;
        maxSteps = Math.Max(maxSteps, t.maxSteps);
        hasLiveness |= t.hasLiveness;
    }

    internal readonly void CopyTo(TestReport report)
    {
        report.Iterations = iterations;
        report.NumOfExploredFairPaths = fair;
        report.NumOfExploredUnfairPaths = unfair;
        report.StepBoundHits = stepBoundHits;
        report.TerminatedRuns = terminated;
        report.TotalSteps = steps;
        report.TotalDecisions = decisions;
        report.MaxSteps = maxSteps;
        report.MinSteps = iterations == 0 ? 0 : minSteps;
        report.HasLivenessMonitors = hasLiveness;
    }
}

/// <summary>Runs iterations of one test with one strategy instance on the calling thread.</summary>
internal sealed class IterationRunner : IWatched
{
    private readonly Func<IActorRuntime, Task?> test;
    private readonly Configuration config;
    private readonly Action? iterationDispose;
    private volatile ActorRuntime? current;

    internal IterationRunner(Func<IActorRuntime, Task?> test, Configuration config, IStrategy strategy, Action? iterationDispose)
    {
        this.test = test;
        this.config = config;
        this.iterationDispose = iterationDispose;
        Strategy = strategy;
    }

    internal IStrategy Strategy { get; }

    internal DecisionLog Decisions { get; } = new();

    /// <summary>The iteration run last (or running).</summary>
    internal int Iteration { get; private set; }

    public ActorRuntime? Runtime => current;

    public Decision[] DecisionsSoFar() => Decisions.ToArray();

    /// <summary>Where this runner's iterations count coverage, or null.</summary>
    internal CoverageCounter? Coverage { get; init; }

    /// <summary>Runs are fair (or not) whatever the strategy says; the calibration iteration takes the campaign strategy's fairness.</summary>
    internal bool? Fair { get; init; }

    internal RunSettings SettingsFor(IStrategy s) => new(
        (Fair ?? s.IsFair) ? config.MaxFairSchedulingSteps : config.MaxUnfairSchedulingSteps,
        Fair ?? s.IsFair,
        config.EffectiveThreshold,
        config.FailOnMaxSteps,
        config.TimeoutDelay);

    /// <summary>Runs iteration <paramref name="k"/> (already prepared on the strategy).</summary>
    internal ActorRuntime Run(int k, out IterationRecord record, bool log = false)
    {
        Decisions.Clear();
        Iteration = k;
        RunSettings settings = SettingsFor(Strategy);
        var runtime = new ActorRuntime(Strategy, Decisions, settings, log) { Coverage = Coverage };
        current = runtime;
        if (Coverage is not null)
        {
            Coverage.Iterations++;
        }

        try
        {
            runtime.Run(test);
        }
        finally
        {
            iterationDispose?.Invoke();
        }

        bool hasLiveness = false;
        foreach (Specifications.Monitor m in runtime.Monitors)
        {
            hasLiveness |= m.Info.HasHotState;
        }

        record = new IterationRecord(k, runtime.Steps, Decisions.Count, runtime.End, settings.Fair, hasLiveness) { HitBoundAsBug = runtime.Bug?.Kind == BugKind.MaxSteps };
        return runtime;
    }

    /// <summary>
    /// Runs a trace's decisions once; divergence surfaces as <see cref="TraceDivergenceException"/>,
    /// with <paramref name="watch"/> holding the runtime as it was when it diverged (its steps and log so far).
    /// With <paramref name="maxSteps"/>, the run stops after that many steps, as at a step bound that is no bug.
    /// </summary>
    internal static ActorRuntime Replay(Func<IActorRuntime, Task?> test, Trace trace, ReplayWatch watch, int? maxSteps = null)
    {
        var settings = new RunSettings(
            maxSteps ?? (trace.MaxSteps > 0 ? trace.MaxSteps : int.MaxValue),
            trace.Fair,
            trace.LivenessThreshold > 0 ? trace.LivenessThreshold : int.MaxValue,
            maxSteps is null && trace.FailOnMaxSteps,
            trace.TimeoutDelay,
            trace.AtomicSharedObjects);
        if (trace.LoopStart is not null)
        {
            ActorRuntime lasso = StateSpace.Lasso.Replay(test, trace, watch.Decisions, settings, log: true, out ReplayStrategy strategy);
            watch.Strategy = strategy;
            watch.Publish(lasso);
            return lasso;
        }

        var replay = new ReplayStrategy(trace.Decisions, trace.Fair);
        replay.PrepareIteration(0);
        watch.Strategy = replay;
        var runtime = new ActorRuntime(replay, watch.Decisions, settings, log: true);
        watch.Publish(runtime);
        runtime.Run(test);
        return runtime;
    }
}

/// <summary>A replay as the watchdog and the engine see it: its runtime once started, its decisions and its strategy.</summary>
internal sealed class ReplayWatch : IWatched
{
    private volatile ActorRuntime? runtime;

    internal DecisionLog Decisions { get; } = new();

    internal ReplayStrategy? Strategy { get; set; }

    public ActorRuntime? Runtime => runtime;

    internal void Publish(ActorRuntime r) => runtime = r;

    public Decision[] DecisionsSoFar() => Decisions.ToArray();
}
