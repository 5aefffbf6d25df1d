using Verify.Actors;
using Verify.Logging;
using Verify.Specifications;
using Verify.Strategies;
using Verify.Traces;

namespace Verify.Runtime;

/// <summary>
/// Runs one iteration on the calling thread: the test body creates actors, then the loop asks the
/// strategy which enabled actor steps next until none is enabled, the step bound is hit, or a bug
/// is found. No OS thread per actor and no locks: a step is a plain method call.
/// </summary>
internal sealed partial class ActorRuntime : IActorRuntime
{
    [ThreadStatic]
    private static ActorRuntime? current;

    private readonly IStrategy strategy;
    private readonly ReplayStrategy? replay;
    private readonly DecisionLog decisions;
    private readonly RunSettings settings;
    private readonly List<Actor?> actors = [];
    private readonly List<Monitor> monitors = [];
    private int[] enabled = new int[8];
    private int hotMonitors;
    private readonly ILogger modelLogger;
    private ILogger logger;

    // Log exists only because the test registered an observer: a reset drops it with them.
    private bool logForObservers;

    internal ActorRuntime(IStrategy strategy, DecisionLog decisions, RunSettings settings, bool log)
    {
        this.strategy = strategy;
        replay = strategy as ReplayStrategy;
        this.decisions = decisions;
        this.settings = settings;
        if (log)
        {
            Log = new ReadableLog(() => Steps, () => Running);
            modelLogger = new ModelLogger(ModelLine);
        }
        else
        {
            modelLogger = ModelLogger.Null;
        }

        logger = modelLogger;
    }

    public event Action<Exception>? OnFailure;

    public event OnEventDroppedHandler? OnEventDropped;

    public event OnActorHaltedHandler? OnActorHalted;

    /// <summary>Where model log lines go: the readable trace, and a logger the test sets (Coyote's settable runtime logger).</summary>
    public ILogger Logger
    {
        get => logger;
        set => logger = value is null ? modelLogger : new TeeLogger(value, modelLogger);
    }

    public void RegisterLog(IActorRuntimeLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (Log is null)
        {
            Log = new ReadableLog(() => Steps, () => Running);
            logForObservers = true;
        }

        Log.AddObserver(log);
    }

    public void RemoveLog(IActorRuntimeLog log) => Log?.RemoveObserver(log);

    /// <summary>The readable trace (on replay or with -v), also made when a test registers a runtime log, which it feeds.</summary>
    internal ReadableLog? Log { get; private set; }

    /// <summary>Where this run counts coverage (shared by one worker's iterations), or null when coverage is off.</summary>
    internal CoverageCounter? Coverage { get; set; }

    internal Actor? Running { get; private set; }

    /// <summary>Configuration.WithTimeoutDelay for this run (see <see cref="RunSettings.TimeoutDelay"/>).</summary>
    internal int TimeoutDelay => settings.TimeoutDelay;

    internal BugReport? Bug { get; private set; }

    internal int Steps { get; private set; }

    /// <summary>Steps at which two or more operations were enabled.</summary>
    internal int MultiSteps { get; private set; }

    internal RunEnd End { get; private set; }

    internal IReadOnlyList<Actor?> Actors => actors;

    internal IReadOnlyList<Monitor> Monitors => monitors;

    /// <summary>True for exceptions thrown by model code; false for the engine's own signals, which must pass through.</summary>
    internal static bool IsModelFault(Exception ex) =>
        ex is not (BugFoundException or ModelDefinitionException or TraceDivergenceException or NondeterministicModelException);

    internal static ActorRuntime RequireCurrent() =>
        current ?? throw new InvalidOperationException("Specification calls need a running Verify test iteration.");

    /// <summary>
    /// Runs the test body, then schedules until the run ends; with <paramref name="drive"/>, that takes
    /// the steps instead (a lasso replay). A bug ends the run.
    /// </summary>
    internal void Run(Func<IActorRuntime, Task?> test, Action? drive = null)
    {
        using Scope scope = Enter();
        RunBody(test);
        if (Bug is null)
        {
            if (drive is null)
            {
                Schedule();
            }
            else
            {
                drive();
            }
        }

        if (Bug is not null)
        {
            Fail();
        }
    }

    /// <summary>Makes this runtime current on the calling thread until the returned scope is disposed.</summary>
    internal Scope Enter() => new(this);

    /// <summary>
    /// A runtime made the one Specification calls reach on this thread, with no synchronization
    /// context (continuations of handlers waiting in ReceiveEventAsync must run inline on the engine
    /// thread); disposing puts back the runtime and context that were there before.
    /// </summary>
    internal readonly struct Scope : IDisposable
    {
        private readonly ActorRuntime? outer;
        private readonly System.Threading.SynchronizationContext? context;

        internal Scope(ActorRuntime runtime)
        {
            outer = current;
            current = runtime;
            context = System.Threading.SynchronizationContext.Current;
            System.Threading.SynchronizationContext.SetSynchronizationContext(null);
        }

        public void Dispose()
        {
            current = outer;
            System.Threading.SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    /// <summary>Runs the test body, which creates the first actors; a bug it hits is recorded.</summary>
    internal void RunBody(Func<IActorRuntime, Task?> test)
    {
        BeginBody();
        try
        {
            Task? t = test(this);
            if (t is not null && !t.IsCompletedSuccessfully)
            {
                if (t.IsFaulted)
                {
                    Exception ex = t.Exception!.InnerException ?? t.Exception;
                    if (ex is not BugFoundException)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex);
                    }
                }
                else if (bodyAwaitsGroup)
                {
                    // It waits for an AwaitableEventGroup or an idle actor: scheduling goes on, and an actor
                    // completes the group, or the actor becomes idle (or the run ends first).
                    pendingBody = t;
                }
                else
                {
                    ReportBug(BugKind.UncontrolledAwait, UncontrolledBody);
                }
            }
        }
        catch (BugFoundException)
        {
        }
        catch (Exception ex) when (IsModelFault(ex))
        {
            Bug ??= new BugReport(BugKind.Exception, $"The test method threw {ex.GetType().Name}: {ex.Message}", 0, null);
        }
        finally
        {
            InBody = false;
        }
    }

    private const string UncontrolledBody = "The test method awaited a task that the engine does not control; it must create actors and return.";

    /// <summary>Ends a buggy run: tells OnFailure subscribers.</summary>
    internal void Fail()
    {
        End = RunEnd.Bug;
        OnFailure?.Invoke(new AssertionFailureException(Bug!.Message));
    }

    private void Schedule()
    {
        int last = 0;
        bool fair = settings.Fair;
        sharedPoints = !settings.AtomicSharedObjects;
        while (true)
        {
            int n = CollectEnabled();
            if (n == 0 && idleWaiters is not null)
            {
                // Nothing can run, so every actor the test body awaits is idle: the body goes on.
                WakeIdleWaiters();
                if (Bug is not null)
                {
                    return;
                }

                continue;
            }

            if (n == 0)
            {
                End = RunEnd.Terminated;
                CheckQuiescence();
                return;
            }

            if (Steps >= settings.MaxSteps)
            {
                ReachStepBound();
                return;
            }

            if (n > 1)
            {
                MultiSteps++;
            }

            int id = PickOperation(n, last);
            Execute(id);

            if (Bug is not null || stoppedInOperation)
            {
                return;
            }

            if (idleWaiters is not null)
            {
                WakeIdleWaiters();
                if (Bug is not null)
                {
                    return;
                }
            }

            last = id;
            if (fair && hotMonitors > 0 && CheckTemperature())
            {
                return;
            }
        }
    }

    /// <summary>The run stops at the step bound; with --fail-on-max-steps that is a bug.</summary>
    internal void ReachStepBound()
    {
        End = RunEnd.StepBound;
        if (settings.FailOnMaxSteps)
        {
            TryReport(BugKind.MaxSteps,
                $"Step bound {settings.MaxSteps} reached. A handler looping without a scheduling point usually causes this: "
                + "add a send or receive inside the loop, or raise --max-steps.");
        }
    }

    /// <summary>Fills <see cref="EnabledIds"/> with the ids of enabled actors, ascending; returns how many.</summary>
    internal int CollectEnabled()
    {
        if (enabled.Length < actors.Count)
        {
            Array.Resize(ref enabled, actors.Count * 2);
        }

        int n = 0;
        for (int i = 0; i < actors.Count; i++)
        {
            Actor? a = actors[i];
            if (a is not null && a.IsEnabled())
            {
                enabled[n++] = i + 1;
            }
        }

        return n;
    }

    internal ReadOnlySpan<int> EnabledIds(int n) => enabled.AsSpan(0, n);

    // ---- stateful search (StateSpace/): the search picks actors itself and moves between states ----

    /// <summary>Monitor notifications so far; partial-order reduction treats a step that notifies as visible.</summary>
    internal long MonitorNotifications { get; private set; }

    /// <summary>Calls of <see cref="Actor.NoteSharedAccess"/>: steps that said they touched shared memory.</summary>
    internal long SharedAccesses { get; set; }

    /// <summary>Decisions recorded so far.</summary>
    internal int DecisionCount => decisions.Count;

    /// <summary>The decisions recorded from index <paramref name="start"/> on.</summary>
    internal ReadOnlySpan<Decision> DecisionsSince(int start) => decisions.AsSpan()[start..];

    /// <summary>Runs one step of actor <paramref name="id"/>, recording the scheduling decision as Schedule does.</summary>
    internal void RunStep(int id, int enabledCount)
    {
        decisions.Add(DecisionKind.Schedule, id, enabledCount);
        Execute(id);
    }

    /// <summary>Runs one operation of actor <paramref name="id"/>; a bug it reports ends the step.</summary>
    private void Execute(int id)
    {
        Steps++;
        BeginStep();
        Actor a = actors[id - 1]!;
        Running = a;
        try
        {
            a.Step();
        }
        catch (BugFoundException)
        {
        }
        finally
        {
            Running = null;
        }
    }

    /// <summary>No operation is enabled: the end-of-run checks of Schedule (deadlock, hot monitors).</summary>
    internal void Terminate()
    {
        End = RunEnd.Terminated;
        CheckQuiescence();
    }

    /// <summary>Forgets every actor and monitor, so the test body can run again on this runtime.</summary>
    internal void Reset()
    {
        actors.Clear();
        monitors.Clear();
        Steps = 0;
        MultiSteps = 0;
        Bug = null;
        End = default;
        Running = null;
        hotMonitors = 0;
        OnFailure = null;
        OnEventDropped = null;
        OnActorHalted = null;
        logger = modelLogger;
        Log?.ClearObservers();
        if (logForObservers)
        {
            Log = null;
            logForObservers = false;
        }

        namedIds?.Clear();
        sharedPoints = false;
        stoppedInOperation = false;
        WaitingAtOperation = null;
        idleWaiters = null;
        pendingBody = null;
        bodyAwaitsGroup = false;
    }

    /// <summary>Puts back the actor and monitor lists of a snapshot; the objects' fields are restored by the caller.</summary>
    internal void RestoreLists(Actor?[] actorSlots, Monitor[] monitorList, int steps)
    {
        Overwrite(actors, actorSlots);
        Overwrite(monitors, monitorList);
        Steps = steps;
        Bug = null;
        End = default;
        Running = null;
        MonitorStateChanged();
    }

    /// <summary>Makes <paramref name="list"/> hold <paramref name="items"/>, storing only the slots that differ (a reference store costs a GC write barrier; a restore mostly finds the same actors).</summary>
    private static void Overwrite<T>(List<T> list, T[] items)
        where T : class?
    {
        if (list.Count > items.Length)
        {
            list.RemoveRange(items.Length, list.Count - items.Length);
        }

        for (int i = 0; i < items.Length; i++)
        {
            if (i == list.Count)
            {
                list.Add(items[i]);
            }
            else if (!ReferenceEquals(list[i], items[i]))
            {
                list[i] = items[i];
            }
        }
    }

    /// <summary>Makes this runtime the one Specification calls reach on this thread; returns the previous one.</summary>
    internal static ActorRuntime? SwapCurrent(ActorRuntime? runtime)
    {
        ActorRuntime? outer = current;
        current = runtime;
        return outer;
    }

    private int PickOperation(int n, int last)
    {
        ReadOnlySpan<int> span = enabled.AsSpan(0, n);
        int i = strategy.PickOperation(span, last);
        if ((uint)i >= (uint)n)
        {
            throw new InvalidOperationException($"checker bug: {strategy.Describe()} picked index {i} of {n} enabled operations; please attach the trace");
        }

        decisions.Add(DecisionKind.Schedule, span[i], n);
        return span[i];
    }

    private int PickValue(DecisionKind kind, int bound)
    {
        CountEffect();
        int v = replay is not null ? replay.PickValue(kind, bound) : strategy.PickValue(bound);
        if ((uint)v >= (uint)bound)
        {
            throw new InvalidOperationException($"checker bug: {strategy.Describe()} answered {v} for a choice in [0, {bound}); please attach the trace");
        }

        decisions.Add(kind, v, bound);
        return v;
    }

    /// <summary>End of a terminated run: waiting actors mean deadlock; a hot monitor means a liveness bug.</summary>
    private void CheckQuiescence()
    {
        if (pendingBody is not null)
        {
            CheckPendingBody();
            if (Bug is not null)
            {
                return;
            }
        }

        var waiting = actors.Where(a => a is { Status: ActorStatus.Active, Receiving: not null }).ToList();
        if (waiting.Count > 0)
        {
            string who = string.Join("; ", waiting.Select(a => $"{a!.Id}{a.InState} for {a.Receiving!.WaitedTypes}"));
            TryReport(BugKind.Deadlock,
                $"Deadlock at step {Steps}: no operation is enabled. Waiting: {who}. Run `verify replay` on the trace for the events.");
            return;
        }

        foreach (Monitor m in monitors)
        {
            if (m.IsHot)
            {
                TryReport(BugKind.Liveness,
                    $"Monitor {m.Name} detected a liveness bug: in hot state {m.CurrentInfo.Name} at the end of the run (terminated at step {Steps}).");
                return;
            }
        }
    }

    private bool CheckTemperature()
    {
        foreach (Monitor m in monitors)
        {
            if (m.IsHot && ++m.Temperature > settings.LivenessThreshold)
            {
                TryReport(BugKind.Liveness,
                    $"Monitor {m.Name} detected a potential liveness bug: stayed in hot state {m.CurrentInfo.Name} for more than {settings.LivenessThreshold} steps of a fair run (step {Steps}).");
                return true;
            }
        }

        return false;
    }

    internal void MonitorStateChanged()
    {
        int hot = 0;
        foreach (Monitor m in monitors)
        {
            if (m.IsHot)
            {
                hot++;
            }
        }

        hotMonitors = hot;
    }

    internal void TryReport(BugKind kind, string message)
    {
        try
        {
            ReportBug(kind, message);
        }
        catch (BugFoundException)
        {
        }
    }

    /// <summary>Records the first bug of the iteration and unwinds the model code that found it.</summary>
    internal void ReportBug(BugKind kind, string message)
    {
        if (Bug is null)
        {
            Bug = new BugReport(kind, message, Steps, Running?.Id.Name);
            Log?.Bug(Bug);
        }

        throw new BugFoundException();
    }

    internal void ReportAssertionFailure(string message) => ReportBug(BugKind.Assertion, message);

    internal void ReportException(Actor a, string method, Event? e, Exception ex) =>
        ReportBug(BugKind.Exception,
            $"{a.Id}.{method} threw {ex.GetType().Name}: {ex.Message}{(e is null ? string.Empty : $" handling {Actor.Describe(e)}")}{a.InState}. "
            + $"At: {FirstFrame(ex)}");

    internal void ReportMonitorException(Monitor m, string method, Exception ex) =>
        ReportBug(BugKind.Exception, $"Monitor {m.Name}.{method} threw {ex.GetType().Name}: {ex.Message}. At: {FirstFrame(ex)}");

    private static string FirstFrame(Exception ex) =>
        ex is InsufficientExecutionStackException
            ? RecursionFrame(ex)
            : ex.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(no stack trace)";

    /// <summary>
    /// Where a recursion that ran the stack short was: the model method nearest the top of the
    /// stack. (The stack trace's text has a line per level, megabytes of them; the frames are walked
    /// instead, without file information. Their number is left out: a replay, which logs, reaches a
    /// different depth, and the bug must read the same.)
    /// </summary>
    private static string RecursionFrame(Exception ex)
    {
        var trace = new System.Diagnostics.StackTrace(ex, fNeedFileInfo: false);
        string? method = null;
        for (int i = 0; i < trace.FrameCount && method is null; i++)
        {
            System.Reflection.MethodBase? m = trace.GetFrame(i)?.GetMethod();
            if (m?.DeclaringType is Type t && t.Assembly != typeof(ActorRuntime).Assembly && t.Assembly != typeof(object).Assembly)
            {
                method = $"{t.FullName}.{m.Name}";
            }
        }

        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{method ?? "(no model frame)"}, a recursion that ran the {SystematicTesting.Watchdog.StackSize >> 20} MB stack of an iteration short: without end, or too deep for that stack");
    }

    // ---- actor API -------------------------------------------------------------------------

    public ActorId CreateActorId(Type type, string? name = null)
    {
        var id = new ActorId(actors.Count + 1, ActorId.ReadableName(type), name, this);
        actors.Add(null);
        return id;
    }

    public ActorId CreateActor(Type type, Event? initialEvent = null, EventGroup? eventGroup = null) =>
        Hosted(CreateActorFrom(Running, null, type, null, initialEvent, eventGroup));

    public ActorId CreateActor(Type type, string name, Event? initialEvent = null, EventGroup? eventGroup = null) =>
        Hosted(CreateActorFrom(Running, null, type, name, initialEvent, eventGroup));

    public ActorId CreateActor(ActorId id, Type type, Event? initialEvent = null, EventGroup? eventGroup = null) =>
        Hosted(CreateActorFrom(Running, id, type, null, initialEvent, eventGroup));

    internal ActorId CreateActorFrom(Actor? creator, ActorId? id, Type type, string? name, Event? initialEvent, EventGroup? group)
    {
        CountEffect();
        ActorInfo info = ActorInfo.Get(type);
        Actor a = info.Instantiate();
        if (id is null)
        {
            id = new ActorId(actors.Count + 1, info.FullName, name, this);
            actors.Add(a);
        }
        else if (id.Value < 1 || id.Value > actors.Count || actors[(int)id.Value - 1] is not null)
        {
            ReportBug(BugKind.Assertion, $"{id} is not a free actor id of this run; CreateActorId reserves one, and each binds once.");
        }
        else
        {
            actors[(int)id.Value - 1] = a;
        }

        a.Id = id;
        a.Runtime = this;
        a.Info = info;
        group = EventGroup.Normalize(group);
        a.Initial = new Envelope(initialEvent!, group, null, creator?.Id);
        a.CurrentEventGroup = group;
        if (creator is not null)
        {
            // Inside a handler the creation is an effect like a send: it happens at a later step, in order.
            a.Status = ActorStatus.Pending;
            (creator.Outbox ??= new Queue<Effect>()).Enqueue(new Effect(EffectKind.Create, a, a.Initial));
        }
        else
        {
            a.Status = ActorStatus.Created;
            Log?.Created(null, a);
        }

        return id;
    }

    public void SendEvent(ActorId targetId, Event e, EventGroup? eventGroup = null, SendOptions? options = null)
    {
        SendFrom(Running, targetId, e, eventGroup, options);
        if (HostBudget > 0)
        {
            Drain();
        }
    }

    internal void SendFrom(Actor? sender, ActorId targetId, Event e, EventGroup? group, SendOptions? options)
    {
        ArgumentNullException.ThrowIfNull(e);
        Actor? target = targetId.Value >= 1 && targetId.Value <= actors.Count ? actors[(int)targetId.Value - 1] : null;
        if (target is null)
        {
            ReportBug(BugKind.Assertion, $"{sender?.Id.ToString() ?? "The test"} sent {Actor.Describe(e)} to {targetId}, which is not bound to an actor.");
            return;
        }

        CountEffect();
        var env = new Envelope(e, EventGroup.Normalize(group), options, sender?.Id);
        if (sender is not null)
        {
            (sender.Outbox ??= new Queue<Effect>()).Enqueue(new Effect(EffectKind.Send, target, env));
        }
        else
        {
            Enqueue(null, target, env);
        }
    }

    /// <summary>Performs one queued send or creation of <paramref name="from"/>.</summary>
    internal void Deliver(Actor from, Effect effect)
    {
        if (effect.Kind == EffectKind.Create)
        {
            effect.Target.Status = ActorStatus.Created;
            Log?.Created(from, effect.Target);
        }
        else if (effect.Envelope.Event is not Verify.Actors.Timers.TimerElapsedEvent { Info.Stopped: true })
        {
            Enqueue(from, effect.Target, effect.Envelope);
        }
        else
        {
            // The timer was stopped after it fired but before its event arrived: Coyote drops it.
            Log?.Note(from, $"drops {Actor.Describe(effect.Envelope.Event)} of a stopped timer");
        }
    }

    private void Enqueue(Actor? from, Actor target, in Envelope env)
    {
        bool halted = target.Status == ActorStatus.Halted;
        Log?.Sent(from, target.Id, env.Event, halted, env.Group);
        if (halted)
        {
            if (env.MustHandle)
            {
                ReportBug(BugKind.MustHandle, $"{Actor.Describe(env.Event)} was sent with MustHandle to {target.Id}, which has halted.");
            }

            OnEventDropped?.Invoke(env.Event, target.Id);

            return;
        }

        target.Inbox.Enqueue(env);
        if (env.Options is { Assert: >= 0 } options)
        {
            CheckInboxBound(target, env.Event.GetType(), options.Assert);
        }
    }

    /// <summary>SendOptions(assert: n): more than n events of the sent type in the receiver's inbox is a bug.</summary>
    private void CheckInboxBound(Actor target, Type type, int bound)
    {
        int count = 0;
        for (int i = 0; i < target.Inbox.Count; i++)
        {
            count += target.Inbox[i].Event.GetType() == type ? 1 : 0;
        }

        if (count > bound)
        {
            ReportBug(BugKind.Assertion,
                $"There are more than {bound} instances of {type.Name} in the inbox of {target.Id}{target.InState} "
                + $"({count} after a send with SendOptions(assert: {bound})). A receiver that handles the event too slowly, or a sender in a loop, usually causes this.");
        }
    }

    public void RegisterMonitor<T>()
        where T : Monitor => RegisterMonitor(typeof(T));

    public void RegisterMonitor(Type type)
    {
        if (!typeof(Monitor).IsAssignableFrom(type) || type.IsAbstract)
        {
            throw new ModelDefinitionException($"{type.FullName} is not a concrete Monitor type.");
        }

        if (monitors.Any(m => m.GetType() == type))
        {
            return;
        }

        var monitor = (Monitor)Activator.CreateInstance(type, nonPublic: true)!;
        monitors.Add(monitor);
        monitor.Initialize(this);
        MonitorStateChanged();
    }

    public void Monitor<T>(Monitor.Event e) => Monitor(typeof(T), e);

    public void Monitor(Type type, Monitor.Event e)
    {
        // Recursion that notifies at every level (a monitor action notifying monitors again) meets the stack's end here.
        CheckStack();
        foreach (Monitor m in monitors)
        {
            if (m.GetType() == type)
            {
                MonitorNotifications++;
                m.Notify(e);
                return;
            }
        }
    }

    public bool RandomBoolean()
    {
        bool v = PickValue(DecisionKind.Boolean, 2) == 1;
        Log?.Random(Running, v);
        return v;
    }

    public int RandomInteger(int maxValue)
    {
        if (maxValue <= 0)
        {
            ReportBug(BugKind.Assertion, $"RandomInteger({maxValue}) needs a positive bound.");
        }

        int v = PickValue(DecisionKind.Integer, maxValue);
        Log?.Random(Running, v, maxValue);
        return v;
    }

    public void Assert(bool predicate)
    {
        if (!predicate)
        {
            ReportAssertionFailure("Detected an assertion failure.");
        }
    }

    public void Assert(bool predicate, string s, params object?[] args)
    {
        if (!predicate)
        {
            ReportAssertionFailure(string.Format(s, args));
        }
    }
}
