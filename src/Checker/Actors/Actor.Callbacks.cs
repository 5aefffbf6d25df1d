using Verify.Runtime;

namespace Verify.Actors;

/// <summary>Running the overridable callbacks, and what happens to an event no state handles.</summary>
public abstract partial class Actor
{
    /// <summary>
    /// No state can handle <paramref name="e"/>: as Coyote does, OnEventUnhandledAsync runs first, then
    /// an <see cref="UnhandledEventException"/> goes through OnException, and only if that does not
    /// handle it (or halt) is it a bug. True when the actor goes on with what it raised.
    /// </summary>
    internal bool Unhandled(Event e)
    {
        string state = StateName ?? string.Empty;
        if (Info.OverridesUnhandled)
        {
            RunCallback(CallbackKind.Unhandled, e);
            if (HaltPending || Status == ActorStatus.Halted)
            {
                return false;
            }
        }

        if (Info.OverridesException)
        {
            OnExceptionOutcome outcome;
            try
            {
                outcome = OnException(new UnhandledEventException(e, state, "Unhandled Event"), nameof(OnEventUnhandledAsync), e);
            }
            catch (Exception inner) when (ActorRuntime.IsModelFault(inner))
            {
                Runtime.ReportException(this, nameof(OnException), e, inner);
                return false;
            }

            if (outcome == OnExceptionOutcome.HandledException)
            {
                Runtime.Log?.Note(this, $"handled UnhandledEventException for {Describe(e)}");
                return true;
            }

            if (outcome == OnExceptionOutcome.Halt)
            {
                HaltPending = true;
                return false;
            }
        }

        Runtime.ReportBug(BugKind.UnhandledEvent,
            $"{Id} received {Describe(e)} that cannot be handled{InState}.");
        return false;
    }

    /// <summary>An ignored event is dropped: logged and passed to OnEventIgnored.</summary>
    internal void NoteIgnored(Event e)
    {
        Runtime.Log?.Ignored(this, e);
        if (Info.OverridesIgnored)
        {
            CallHook(CallbackKind.Ignored, e);
        }
    }

    /// <summary>
    /// Runs one of the overridable callbacks. A synchronous throw and a faulted task both go
    /// through OnException, as a handler's exception does (Coyote treats them alike).
    /// </summary>
    private void RunCallback(CallbackKind which, Event? e)
    {
        Task task;
        Runtime.EnterHandler(this, CallbackName(which), e);
        try
        {
            task = which switch
            {
                CallbackKind.Initialize => OnInitializeAsync(e),
                CallbackKind.Dequeued => OnEventDequeuedAsync(e!),
                CallbackKind.Handled => OnEventHandledAsync(e!),
                CallbackKind.Unhandled => OnEventUnhandledAsync(e!, StateName ?? string.Empty),
                _ => OnHaltAsync(e!),
            };
        }
        catch (Exception ex) when (ActorRuntime.IsModelFault(ex))
        {
            HandleException(ex, CallbackName(which), e);
            return;
        }

        if (!task.IsCompletedSuccessfully)
        {
            TaskOutcome(task, CallbackName(which), e);
        }
    }

    /// <summary>Runs OnEventDeferred or OnEventIgnored; an exception goes through OnException.</summary>
    private void CallHook(CallbackKind which, Event e)
    {
        Runtime.EnterHandler(this, CallbackName(which), e);
        try
        {
            if (which == CallbackKind.Deferred)
            {
                OnEventDeferred(e);
            }
            else
            {
                OnEventIgnored(e);
            }
        }
        catch (Exception ex) when (ActorRuntime.IsModelFault(ex))
        {
            HandleException(ex, CallbackName(which), e);
        }
    }

    private static string CallbackName(CallbackKind which) => which switch
    {
        CallbackKind.Initialize => nameof(OnInitializeAsync),
        CallbackKind.Dequeued => nameof(OnEventDequeuedAsync),
        CallbackKind.Handled => nameof(OnEventHandledAsync),
        CallbackKind.Unhandled => nameof(OnEventUnhandledAsync),
        CallbackKind.Deferred => nameof(OnEventDeferred),
        CallbackKind.Ignored => nameof(OnEventIgnored),
        _ => nameof(OnHaltAsync),
    };

    private enum CallbackKind : byte
    {
        Initialize,
        Dequeued,
        Handled,
        Unhandled,
        Deferred,
        Ignored,
        Halt,
    }
}
