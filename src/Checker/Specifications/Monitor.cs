using System.Collections.Concurrent;
using Verify.Logging;
using Verify.Runtime;

namespace Verify.Specifications;

/// <summary>
/// A safety or liveness specification: a state machine that observes events synchronously.
/// A [Hot] state must eventually be left; a [Cold] state may be stayed in forever; others are warm.
/// </summary>
public abstract class Monitor
{
    private static readonly ConcurrentDictionary<Type, StateMachineInfo> Infos = new();

    internal ActorRuntime Runtime = null!;
    internal StateMachineInfo Info = null!;
    internal StateInfo Current = null!;
    private Event? raised;

    /// <summary>Steps spent in hot states without leaving them (fair runs only).</summary>
    internal int Temperature;

    protected Monitor()
    {
    }

    /// <summary>The type's name, readable for a generic monitor (<c>Watch&lt;Int32&gt;</c>); used in messages only.</summary>
    internal string Name => Actors.ActorId.ShortName(Actors.ActorId.ReadableName(GetType()));

    protected Type CurrentState => Current.Type;

    /// <summary>The name of the current state, relative to the monitor, as Coyote's <c>CurrentStateName</c>.</summary>
    protected string CurrentStateName => Current.Name;

    protected ILogger Logger => Runtime.Logger;

    protected virtual int HashedState => 0;

    internal int HashedStateValue => HashedState;

    internal bool IsHot => Current.IsHot;

    internal StateInfo CurrentInfo => Current;

    protected void RaiseEvent(Event e) => Raise(e);

    protected void RaiseGotoStateEvent<TState>()
        where TState : State => Raise(new GotoState(typeof(TState)));

    protected void RaiseGotoStateEvent(Type state) => Raise(new GotoState(state));

    protected void Assert(bool predicate)
    {
        if (!predicate)
        {
            Runtime.ReportAssertionFailure($"Detected an assertion failure in monitor {Name}.");
        }
    }

    protected void Assert(bool predicate, string s, params object?[] args)
    {
        if (!predicate)
        {
            Runtime.ReportAssertionFailure(string.Format(s, args));
        }
    }

    /// <summary>
    /// Marks the start of an interval the monitor is timing (a window after a wakeup, a suppression
    /// awaiting its re-entry), named <paramref name="key"/> (e.g. <c>cpu0</c>). The readable trace
    /// records it, and the HTML and Chrome trace views shade it until <see cref="CloseWindow"/> with
    /// the same key or the end of the run. It changes nothing in the run or the search, and the
    /// text is formatted only when the run is logged.
    /// </summary>
    protected void OpenWindow(string key, string format, params object?[] args) => Window(key, true, format, args);

    /// <summary>Ends the interval <see cref="OpenWindow"/> began under <paramref name="key"/>, saying why.</summary>
    protected void CloseWindow(string key, string format, params object?[] args) => Window(key, false, format, args);

    private void Window(string key, bool opens, string format, object?[] args)
    {
        if (Runtime.Log is ReadableLog log)
        {
            log.MonitorWindow(this, key, string.Format(format, args), opens);
        }
    }

    internal static StateMachineInfo GetInfo(Type type) =>
        Infos.GetOrAdd(type, t =>
        {
            StateMachineInfo info = StateMachineInfo.Build(t, typeof(Monitor), typeof(State), typeof(StateGroup));
            info.Unit = CoverageSlots.Register(Actors.ActorId.ShortName(Actors.ActorId.ReadableName(t)), CoverageUnitKind.Monitor, info, null);
            return info;
        });

    internal void Initialize(ActorRuntime runtime)
    {
        Runtime = runtime;
        Info = GetInfo(GetType());
        Current = Info.Start;
        if (Runtime.Coverage is CoverageCounter coverage)
        {
            coverage.Hit(Info.Unit!.Slot);
            coverage.Hit(Current.EnteredSlot);
        }

        Runtime.Log?.MonitorEntered(this, null, Current);
        if (Current.Entry is not null)
        {
            Invoke(Current.Entry, null);
        }

        ProcessRaised();
    }

    /// <summary>Handles an event synchronously, with whatever it raises.</summary>
    internal void Notify(Event e)
    {
        Handle(e);
        ProcessRaised();
    }

    private void ProcessRaised()
    {
        while (raised is not null)
        {
            Event r = raised;
            raised = null;
            Handle(r);
        }
    }

    private void Handle(Event e)
    {
        if (e is GotoState g)
        {
            Goto(Info.Get(g.Target, Name), null, null);
            return;
        }

        Transition? t = Current.Own(e.GetType());
        if (t is null)
        {
            Runtime.ReportBug(BugKind.UnhandledEvent,
                $"Monitor {Name} received {e.GetType().Name} that cannot be handled in {Current.Name}.");
            return;
        }

        Runtime.Coverage?.Hit(t.Slot);
        if (t.Kind != TransitionKind.Ignore)
        {
            Runtime.Log?.MonitorEvent(this, e);
        }

        switch (t.Kind)
        {
            case TransitionKind.Do:
                Invoke(t.Action!, e);
                break;
            case TransitionKind.Goto:
                Goto(t.Target!, e, t.Action);
                break;
            case TransitionKind.Ignore:
                break;
            default:
                throw new ModelDefinitionException($"Monitor {Name} uses push or defer; monitors support neither.");
        }
    }

    private void Goto(StateInfo target, Event? e, ActionHandler? action)
    {
        StateInfo old = Current;
        if (old.Exit is not null)
        {
            Invoke(old.Exit, e);
        }

        if (action is not null)
        {
            Invoke(action, e);
        }

        Current = target;
        if (Runtime.Coverage is CoverageCounter coverage)
        {
            coverage.Hit(target.EnteredSlot);
            coverage.Hit(Info.PairSlot(0, old, target));
        }

        if (!target.IsHot)
        {
            Temperature = 0;
        }

        Runtime.Log?.MonitorEntered(this, old, target);
        Runtime.MonitorStateChanged();
        if (target.Entry is not null)
        {
            Invoke(target.Entry, e);
        }
    }

    private void Invoke(ActionHandler h, Event? e)
    {
        Task? task;
        (object?, string?, object?) outer = Runtime.EnterMonitorAction(this, h.Name, e);
        try
        {
            task = h.Invoke(this, e);
        }
        catch (Exception ex) when (ActorRuntime.IsModelFault(ex))
        {
            Runtime.ReportMonitorException(this, h.Name, ex);
            return;
        }
        finally
        {
            Runtime.LeaveMonitorAction(outer);
        }

        if (task is not null && !task.IsCompletedSuccessfully)
        {
            Runtime.ReportBug(BugKind.UncontrolledAwait, $"Monitor {Name}.{h.Name} did not complete synchronously; monitor actions cannot wait.");
        }
    }

    private void Raise(Event e)
    {
        if (raised is not null)
        {
            Runtime.ReportBug(BugKind.Assertion, $"Monitor {Name} raised two events in one action.");
        }

        raised = e;
    }

    /// <summary>An event a monitor observes. Actor events derive from it, so actors can notify monitors directly.</summary>
    public abstract class Event
    {
    }

    /// <summary>A monitor state; declare it as a nested class deriving from this one.</summary>
    public abstract class State
    {
    }

    public abstract class StateGroup
    {
    }

    [AttributeUsage(AttributeTargets.Class)]
    public sealed class StartAttribute : Attribute, IStartAttribute
    {
    }

    /// <summary>A state the monitor must eventually leave: staying in it is a liveness bug.</summary>
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class HotAttribute : Attribute, IHotAttribute
    {
    }

    /// <summary>A state the monitor may stay in forever.</summary>
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class ColdAttribute : Attribute, IColdAttribute
    {
    }

    [AttributeUsage(AttributeTargets.Class)]
    public sealed class OnEntryAttribute(string actionName) : Attribute, IEntryAttribute
    {
        public string Action { get; } = actionName;
    }

    [AttributeUsage(AttributeTargets.Class)]
    public sealed class OnExitAttribute(string actionName) : Attribute, IExitAttribute
    {
        public string Action { get; } = actionName;
    }

    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    public sealed class OnEventGotoStateAttribute(Type eventType, Type stateType, string? actionName = null) : Attribute, IGotoAttribute
    {
        public Type Event { get; } = eventType;

        public Type State { get; } = stateType;

        public string? Action { get; } = actionName;
    }

    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    public sealed class OnEventDoActionAttribute(Type eventType, string actionName) : Attribute, IDoAttribute
    {
        public Type Event { get; } = eventType;

        public string Action { get; } = actionName;
    }

    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    public sealed class IgnoreEventsAttribute(params Type[] eventTypes) : Attribute, IIgnoreAttribute
    {
        public Type[] Events { get; } = eventTypes;
    }

    private sealed class GotoState(Type target) : Event
    {
        internal Type Target { get; } = target;
    }
}
