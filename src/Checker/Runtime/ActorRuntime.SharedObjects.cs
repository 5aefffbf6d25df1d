using Verify.Actors;

namespace Verify.Runtime;

/// <summary>
/// Shared-object operations as scheduling points. A handler runs synchronously inside its actor's
/// step, so it cannot be parked while others run; instead, at an operation the calling actor stays
/// on the stack and the strategy picks the next operation among it (resume the handler) and every
/// other enabled actor, whose steps run nested here until the caller is picked again. Only the
/// innermost actor waiting at an operation can resume, so the interleavings explored are those in
/// which waits at shared-object operations resume last-in first-out: every one of them is a
/// schedule Coyote can run, but not every schedule of Coyote is explored (docs/coyote-compat.md).
/// </summary>
internal sealed partial class ActorRuntime
{
    // True while Schedule drives a sampling run whose settings make shared-object operations
    // scheduling points; false in a host, in the stateful search and while the test body runs.
    private bool sharedPoints;

    // The run stopped at the step bound inside a shared-object operation; the handler was unwound.
    private bool stoppedInOperation;

    /// <summary>The innermost actor waiting at a shared-object operation, or null.</summary>
    internal Actor? WaitingAtOperation { get; private set; }

    /// <summary>
    /// Called by a shared object before each operation: a shared access for partial-order
    /// reduction and, in a sampling run, a scheduling point of the calling actor.
    /// </summary>
    internal static void SharedObjectOperation()
    {
        ActorRuntime? r = current;
        if (r is null)
        {
            return;
        }

        r.SharedAccesses++;
        // An operation called by runtime callbacks while the actor already waits at one (OnEventDropped,
        // say) takes effect at once: the actor is not running a handler of its own there.
        if (r.sharedPoints && r.Running is { AtSharedOperation: false } a)
        {
            r.SchedulingPoint(a);
        }
    }

    /// <summary>
    /// Lets other actors run before <paramref name="a"/>'s operation takes effect. The sends and
    /// creations the handler issued before the operation are delivered first, one per step, as
    /// Coyote performs them at once; then the strategy may pick the handler to go on.
    /// </summary>
    private void SchedulingPoint(Actor a)
    {
        // Each operation that waits here nests the steps it lets run: deep nesting meets the stack's end as an exception of the handler.
        CheckStack();
        (object?, string?, object?) handler = (HandlerOwner, HandlerName, HandlerEvent);
        Actor? outer = WaitingAtOperation;
        a.AtSharedOperation = true;
        WaitingAtOperation = a;
        int self = (int)a.Id.Value;
        try
        {
            while (true)
            {
                if (Steps >= settings.MaxSteps)
                {
                    // A handler spinning on a shared object until others change it ends here, as in Coyote.
                    // If another handler waits beneath this one, it could not go on (last-in first-out),
                    // which Coyote would allow: the run just stops, not a bug even with --fail-on-max-steps.
                    if (outer is null)
                    {
                        ReachStepBound();
                    }
                    else
                    {
                        End = RunEnd.StepBound;
                    }

                    stoppedInOperation = true;
                    throw new BugFoundException();
                }

                // No actor runs while the enabled ones are collected (a receive predicate may touch a shared object).
                Running = null;
                int n = CollectEnabled();
                int id = n == 1 ? self : PickOperation(n, self);
                Running = a;
                if (n > 1)
                {
                    MultiSteps++;
                }

                if (id != self)
                {
                    Execute(id);
                    Running = a;
                    (HandlerOwner, HandlerName, HandlerEvent) = handler;
                }
                else if (a.Outbox is { Count: > 0 } outbox)
                {
                    Steps++;
                    Deliver(a, outbox.Dequeue());
                }
                else
                {
                    Steps++;
                    AfterNestedStep(outer is null);
                    return;
                }

                AfterNestedStep(outer is null);
            }
        }
        finally
        {
            a.AtSharedOperation = false;
            WaitingAtOperation = outer;
        }
    }

    /// <summary>
    /// What Schedule checks after a step: a bug or the bound ends the run, and a fair run checks
    /// temperature, unless <paramref name="fairHere"/> is false: a handler waits beneath the innermost
    /// one and cannot go on before it, so the run is not fair to it and a long hot spell proves nothing.
    /// </summary>
    private void AfterNestedStep(bool fairHere)
    {
        if (Bug is not null || stoppedInOperation)
        {
            throw new BugFoundException();
        }

        if (fairHere && settings.Fair && hotMonitors > 0 && CheckTemperature())
        {
            throw new BugFoundException();
        }
    }
}
