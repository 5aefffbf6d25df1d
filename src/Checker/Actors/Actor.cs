using Verify.Logging;
using Verify.Runtime;
using Verify.Specifications;

namespace Verify.Actors;

/// <summary>
/// An actor: an inbox and handlers declared with <see cref="OnEventDoActionAttribute"/>.
/// A handler runs atomically but for its shared-object operations; each send or creation it
/// issues is a later scheduling point.
/// </summary>
public abstract partial class Actor
{
    internal readonly EventQueue Inbox = new();
    internal Queue<Effect>? Outbox;
    internal ActorRuntime Runtime = null!;
    internal ActorInfo Info = null!;
    internal ActorStatus Status;
    internal Event? Raised;
    internal Envelope Initial;
    internal bool HaltPending;

    // Set while an async handler waits in ReceiveEventAsync; its continuation is not capturable state.
    internal ReceiveRequest? Receiving;
    internal Task? SuspendedHandler;
    internal Event? SuspendedEvent;

    // OnInitializeAsync waits in a receive: the rest of initialization runs when it completes.
    internal bool InitializationSuspended;

    // A handler of this actor waits at a shared-object operation (only ever true inside a step).
    internal bool AtSharedOperation;

    protected Actor()
    {
    }

    /// <summary>This actor's id.</summary>
    public ActorId Id { get; internal set; } = null!;

    /// <summary>The event group of the event being handled.</summary>
    protected internal EventGroup? CurrentEventGroup { get; set; }

    /// <summary>Model log lines; kept in the readable trace.</summary>
    protected ILogger Logger => Runtime.Logger;

    /// <summary>Extra state to hash besides fields, for Coyote compatibility.</summary>
    protected virtual int HashedState => 0;

    internal int HashedStateValue => HashedState;

    internal bool HasOutbox => Outbox is { Count: > 0 };

    /// <summary>
    /// Says that the step in progress touched memory another actor may touch before this actor's
    /// next step. Only actors marked <see cref="DeclaresSharedAccessAttribute"/> need to; for them,
    /// partial-order reduction treats a step that never called this as local.
    /// </summary>
    protected void NoteSharedAccess() => Runtime.SharedAccesses++;

    protected ActorId CreateActor(Type type, Event? initialEvent = null, EventGroup? eventGroup = null) =>
        Runtime.CreateActorFrom(this, null, type, null, initialEvent, eventGroup ?? CurrentEventGroup);

    protected ActorId CreateActor(Type type, string name, Event? initialEvent = null, EventGroup? eventGroup = null) =>
        Runtime.CreateActorFrom(this, null, type, name, initialEvent, eventGroup ?? CurrentEventGroup);

    protected ActorId CreateActor(ActorId id, Type type, Event? initialEvent = null, EventGroup? eventGroup = null) =>
        Runtime.CreateActorFrom(this, id, type, null, initialEvent, eventGroup ?? CurrentEventGroup);

    protected void SendEvent(ActorId id, Event e, EventGroup? eventGroup = null, SendOptions? options = null) =>
        Runtime.SendFrom(this, id, e, eventGroup ?? CurrentEventGroup, options);

    /// <summary>Waits, inside an async handler, for the next event of one of the given types.</summary>
    protected internal Task<Event> ReceiveEventAsync(params Type[] eventTypes) => Receive(eventTypes, null);

    /// <summary>Waits, inside an async handler, for the next event of the type that satisfies the predicate.</summary>
    protected internal Task<Event> ReceiveEventAsync(Type eventType, Func<Event, bool> predicate) => Receive([eventType], predicate);

    private Task<Event> Receive(Type[] types, Func<Event, bool>? predicate)
    {
        if (Status == ActorStatus.Halted)
        {
            // Coyote reports this; waiting here would be a receive that can never complete.
            Runtime.ReportBug(BugKind.Assertion,
                $"{Id} called ReceiveEventAsync after it halted (in OnHaltAsync); a halted actor receives no more events.");
        }

        var request = new ReceiveRequest(this, types, predicate);
        int i = request.FindMatch();
        if (i >= 0)
        {
            Envelope env = Inbox.RemoveAt(i);
            Runtime.Log?.Received(this, env, wasBlocked: false);
            return Task.FromResult(env.Event);
        }

        Receiving = request;
        Runtime.Log?.Waiting(this, request.WaitedTypes, types);
        return request.Task;
    }

    protected bool RandomBoolean() => Runtime.RandomBoolean();

    protected int RandomInteger(int maxValue) => Runtime.RandomInteger(maxValue);

    protected void Monitor<T>(Monitor.Event e) => Runtime.Monitor(typeof(T), e);

    protected void Monitor(Type type, Monitor.Event e) => Runtime.Monitor(type, e);

    protected void Assert(bool predicate)
    {
        if (!predicate)
        {
            Runtime.ReportAssertionFailure($"Detected an assertion failure in {Id}.");
        }
    }

    protected void Assert(bool predicate, string s, params object?[] args)
    {
        if (!predicate)
        {
            Runtime.ReportAssertionFailure(string.Format(s, args));
        }
    }

    /// <summary>Halts this actor when the current action ends.</summary>
    protected void RaiseHaltEvent() => SetRaised(HaltEvent.Instance);

    protected virtual Task OnInitializeAsync(Event? initialEvent) => Task.CompletedTask;

    protected virtual Task OnEventDequeuedAsync(Event e) => Task.CompletedTask;

    protected virtual Task OnEventHandledAsync(Event e) => Task.CompletedTask;

    protected virtual Task OnHaltAsync(Event e) => Task.CompletedTask;

    /// <summary>Called when no state can handle <paramref name="e"/>, before the unhandled-event error.</summary>
    protected virtual Task OnEventUnhandledAsync(Event e, string state) => Task.CompletedTask;

    /// <summary>Called when a dequeue passes over <paramref name="e"/> because the current state defers it.</summary>
    protected virtual void OnEventDeferred(Event e)
    {
    }

    /// <summary>Called when <paramref name="e"/> is dropped because the current state ignores it.</summary>
    protected virtual void OnEventIgnored(Event e)
    {
    }

    protected virtual OnExceptionOutcome OnException(Exception ex, string methodName, Event e) =>
        OnExceptionOutcome.ThrowException;

    internal void SetRaised(Event e)
    {
        if (Raised is not null)
        {
            Runtime.ReportBug(BugKind.Assertion,
                $"{Id} raised {Describe(e)} after {Describe(Raised)} in one action; an action raises at most one event.");
        }

        Raised = e;
    }

    internal static string Describe(Event e) => e.GetType().Name;

    /// <summary>True if this actor has an operation to run now.</summary>
    internal bool IsEnabled()
    {
        if (AtSharedOperation)
        {
            // Its one operation is to go on; only the innermost waiting handler can.
            return ReferenceEquals(Runtime.WaitingAtOperation, this);
        }

        if (Outbox is { Count: > 0 })
        {
            return true;
        }

        switch (Status)
        {
            case ActorStatus.Created:
                return true;
            case ActorStatus.Active:
                return Receiving is not null ? Receiving.FindMatch() >= 0 : FindDequeuable() >= 0 || HandlesDefaultNow() || HasIgnored();
            default:
                return false;
        }
    }

    /// <summary>Index of the first inbox event that is neither deferred nor ignored, or -1.</summary>
    internal int FindDequeuable()
    {
        if (!MayDeferOrIgnore())
        {
            return Inbox.Count > 0 ? 0 : -1;
        }

        for (int i = 0; i < Inbox.Count; i++)
        {
            Transition? t = Resolve(Inbox[i].Event.GetType());
            if (t is null || t.Kind is not (TransitionKind.Defer or TransitionKind.Ignore))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// True if the inbox holds an event the current state ignores. Coyote drops such an event when
    /// the actor next dequeues, so the actor has an operation to run even when nothing else is
    /// dequeuable: the dequeue that drops it.
    /// </summary>
    private bool HasIgnored()
    {
        if (!MayDeferOrIgnore())
        {
            return false;
        }

        for (int i = 0; i < Inbox.Count; i++)
        {
            if (Resolve(Inbox[i].Event.GetType()) is { Kind: TransitionKind.Ignore })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Runs one operation of this actor: an effect delivery, initialization, a resumed receive, or a dequeue.</summary>
    internal void Step()
    {
        if (Outbox is { Count: > 0 })
        {
            Runtime.Deliver(this, Outbox.Dequeue());
        }
        else if (Status == ActorStatus.Created)
        {
            Status = ActorStatus.Active;
            Runtime.Coverage?.Hit(Info.Coverage.Slot);
            Runtime.Log?.Started(this);
            Initialize();
        }
        else if (Receiving is not null)
        {
            ResumeReceive();
        }
        else
        {
            DequeueAndHandle();
        }

        if (HaltPending && Outbox is not { Count: > 0 } && Status != ActorStatus.Halted)
        {
            Halt();
        }
    }

    private void DequeueAndHandle()
    {
        int found = FindDequeuable();
        if (found < 0 && !HandlesDefaultNow())
        {
            // Only ignored (and deferred) events are queued: the dequeue drops the ignored ones and
            // finds nothing to handle, as Coyote's does.
            DropIgnoredAhead(-1);
            return;
        }

        int i = DropIgnoredAhead(found);
        Event e;
        if (i >= 0)
        {
            Envelope env = Inbox.RemoveAt(i);
            e = env.Event;
            CurrentEventGroup = env.Group;
            Runtime.Log?.Dequeued(this, env);
        }
        else
        {
            e = DefaultEvent.Instance;
            Runtime.Log?.Default(this);
        }

        if (Info.OverridesDequeued)
        {
            RunCallback(CallbackKind.Dequeued, e);
            if (HaltPending || Status == ActorStatus.Halted)
            {
                return;
            }
        }

        HandleEvent(e);
        if (SuspendedHandler is null)
        {
            AfterHandled(e);
        }
    }

    /// <summary>
    /// Drops the ignored events ahead of inbox index <paramref name="found"/> (all of them when it is -1),
    /// as Coyote's dequeue does on its way to the next event, so a later state never sees them.
    /// Deferred events stay. Returns the new index of the found event, or -1.
    /// </summary>
    private int DropIgnoredAhead(int found)
    {
        if (found == 0 || !MayDeferOrIgnore())
        {
            return found;
        }

        int end = found >= 0 ? found : Inbox.Count;
        int j = 0;
        while (j < end)
        {
            Envelope env = Inbox[j];
            Transition? t = Resolve(env.Event.GetType());
            if (t is not { Kind: TransitionKind.Ignore })
            {
                // Ahead of the event dequeued, what is not ignored is deferred.
                if (t is not null)
                {
                    Runtime.Coverage?.Hit(t.Slot);
                    if (t.Kind == TransitionKind.Defer && Info.OverridesDeferred)
                    {
                        CallHook(CallbackKind.Deferred, env.Event);
                    }
                }

                j++;
                continue;
            }

            Runtime.Coverage?.Hit(t.Slot);
            Inbox.RemoveAt(j);
            end--;
            // Ignoring is handling by declaration: Coyote raises no MustHandle error for it.
            NoteIgnored(env.Event);
        }

        return found >= 0 ? end : -1;
    }

    private void AfterHandled(Event e)
    {
        if (Info.OverridesHandled && Status != ActorStatus.Halted)
        {
            RunCallback(CallbackKind.Handled, e);
        }
    }

    /// <summary>Name of the current state; null for a plain actor, which has none.</summary>
    internal virtual string? StateName => null;

    /// <summary>" in State" for messages, or nothing for a plain actor.</summary>
    internal string InState => StateName is null ? string.Empty : " in " + StateName;

    private void Initialize()
    {
        RunCallback(CallbackKind.Initialize, Initial.Event);
        if (HaltPending && SuspendedHandler is null)
        {
            // OnException chose Halt for an exception of OnInitializeAsync.
            return;
        }

        if (SuspendedHandler is not null)
        {
            InitializationSuspended = true;
            return;
        }

        AfterInitializeCallback();
    }

    /// <summary>Runs once OnInitializeAsync has completed (as Coyote awaits it): a plain actor handles what it raised.</summary>
    internal virtual void AfterInitializeCallback()
    {
        // RaiseHaltEvent in OnInitializeAsync halts the actor before it dequeues anything.
        Event? raised = Raised;
        Raised = null;
        if (raised is not null)
        {
            HandleEvent(raised);
        }
    }

    /// <summary>Handles one event (and what it raises); may leave a handler suspended in a receive.</summary>
    internal virtual void HandleEvent(Event e)
    {
        Event? current = e;
        while (current is not null)
        {
            Transition? t = Resolve(current.GetType());
            if (t is not null && t.Kind == TransitionKind.Do)
            {
                Runtime.Coverage?.Hit(t.Slot);
                if (!InvokeAction(t.Action!, current))
                {
                    return;
                }
            }
            else if (current is HaltEvent)
            {
                HaltPending = true;
                return;
            }
            else
            {
                if (!Unhandled(current))
                {
                    return;
                }
            }

            current = Raised;
            Raised = null;
        }
    }

    internal virtual Transition? Resolve(Type eventType) => Info.Handlers.Own(eventType);

    internal virtual bool MayDeferOrIgnore() => false;

    internal virtual bool HandlesDefaultNow() => Info.Handlers.HandlesDefault;

    /// <summary>Runs an action; false if it is now suspended in a receive (the caller must stop).</summary>
    internal bool InvokeAction(ActionHandler action, Event? e)
    {
        Task? task;
        Runtime.EnterHandler(this, action.Name, e);
        Runtime.Log?.Action(this, action.Name);
        try
        {
            task = action.Invoke(this, e);
        }
        catch (Exception ex) when (ActorRuntime.IsModelFault(ex))
        {
            HandleException(ex, action.Name, e);
            return true;
        }

        if (task is null || task.IsCompletedSuccessfully)
        {
            return true;
        }

        return TaskOutcome(task, action.Name, e);
    }

    private bool TaskOutcome(Task task, string name, Event? e)
    {
        if (task.IsFaulted)
        {
            Exception ex = task.Exception!.InnerException ?? task.Exception;
            if (!ActorRuntime.IsModelFault(ex))
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex);
            }

            HandleException(ex, name, e);
            return true;
        }

        if (Receiving is not null)
        {
            SuspendedHandler = task;
            SuspendedEvent = e;
            return false;
        }

        Runtime.ReportBug(BugKind.UncontrolledAwait,
            $"{Id}.{name} awaited a task that the engine does not control; handlers may await only ReceiveEventAsync.");
        return false;
    }

    private void ResumeReceive()
    {
        ReceiveRequest r = Receiving!;
        int i = r.FindMatch();
        Envelope env = Inbox.RemoveAt(i);
        Receiving = null;
        Runtime.Log?.Received(this, env, wasBlocked: true);
        Task task = SuspendedHandler!;
        Event? e = SuspendedEvent;
        SuspendedHandler = null;
        SuspendedEvent = null;
        r.Complete(env.Event);
        if (!task.IsCompletedSuccessfully && !TaskOutcome(task, "handler", e))
        {
            return;
        }

        if (InitializationSuspended)
        {
            InitializationSuspended = false;
            AfterInitializeCallback();
            return;
        }

        Event? raised = Raised;
        Raised = null;
        if (raised is not null)
        {
            HandleEvent(raised);
        }

        if (SuspendedHandler is null && e is not null)
        {
            AfterHandled(e);
        }
    }

    internal void HandleException(Exception ex, string methodName, Event? e)
    {
        OnExceptionOutcome outcome;
        try
        {
            outcome = OnException(ex, methodName, e!);
        }
        catch (Exception inner) when (ActorRuntime.IsModelFault(inner))
        {
            outcome = OnExceptionOutcome.ThrowException;
            ex = inner;
        }

        switch (outcome)
        {
            case OnExceptionOutcome.HandledException:
                Runtime.Log?.Note(this, $"handled {ex.GetType().Name} from {methodName}");
                return;
            case OnExceptionOutcome.Halt:
                HaltPending = true;
                return;
            default:
                Runtime.ReportException(this, methodName, e, ex);
                return;
        }
    }

    private void Halt()
    {
        Status = ActorStatus.Halted;
        HaltPending = false;
        Raised = null;
        Runtime.Log?.Halted(this);
        if (Info.OverridesHalt)
        {
            RunCallback(CallbackKind.Halt, HaltEvent.Instance);
        }

        for (int i = 0; i < Inbox.Count; i++)
        {
            if (Inbox[i].MustHandle)
            {
                Runtime.ReportBug(BugKind.MustHandle,
                    $"{Id} halted with {Describe(Inbox[i].Event)} in its inbox, which was sent with MustHandle.");
            }
        }

        Runtime.Halted(this);
        Inbox.Clear();
    }
}

internal enum ActorStatus : byte
{
    /// <summary>Created inside a handler; becomes Created when that creation is delivered.</summary>
    Pending,

    /// <summary>Its initialization is the next operation.</summary>
    Created,
    Active,
    Halted,
}
