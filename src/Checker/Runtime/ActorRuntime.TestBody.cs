using Verify.Actors;

namespace Verify.Runtime;

/// <summary>An async test body that waits: for an AwaitableEventGroup an actor completes, or for an actor to be idle.</summary>
internal sealed partial class ActorRuntime
{
    // The test body's task while it awaits an AwaitableEventGroup (see RunBody).
    private Task? pendingBody;
    private bool bodyAwaitsGroup;

    // Actors the test body awaits until they are idle (CreateActorAndExecuteAsync, SendEventAndExecuteAsync); null when none.
    private List<(Actor Target, TaskCompletionSource<bool> Done)>? idleWaiters;

    /// <summary>The test body reads an AwaitableEventGroup's task: its pending await is one an actor can complete (as are idle waits).</summary>
    internal static void NoteAwaitedGroup()
    {
        if (current is not null)
        {
            current.bodyAwaitsGroup = true;
        }
    }

    /// <summary>At the end of a run, the test body must have finished waiting for its event groups.</summary>
    private void CheckPendingBody()
    {
        Task? t = pendingBody;
        if (t is null || t.IsCompletedSuccessfully)
        {
            return;
        }

        pendingBody = null;
        if (t.IsFaulted)
        {
            Exception ex = t.Exception!.InnerException ?? t.Exception;
            if (ex is BugFoundException)
            {
                return;
            }

            TryReport(BugKind.Exception, $"The test method threw {ex.GetType().Name}: {ex.Message}");
            return;
        }

        TryReport(BugKind.Deadlock,
            $"Deadlock at step {Steps}: no operation is enabled, and the test method still waits, for an AwaitableEventGroup no actor completed "
            + "or for a task the engine does not control. Run `verify replay` on the trace for the events.");
    }

    public async Task<ActorId> CreateActorAndExecuteAsync(Type type, Event? initialEvent = null, EventGroup? eventGroup = null)
    {
        ActorId id = CreateActor(type, initialEvent, eventGroup);
        await WaitIdle(id);
        return id;
    }

    public async Task<ActorId> CreateActorAndExecuteAsync(ActorId id, Type type, Event? initialEvent = null, EventGroup? eventGroup = null)
    {
        CreateActor(id, type, initialEvent, eventGroup);
        await WaitIdle(id);
        return id;
    }

    public Task<bool> SendEventAndExecuteAsync(ActorId targetId, Event e, EventGroup? eventGroup = null, SendOptions? options = null)
    {
        Actor? target = Find(targetId);
        bool halted = target is null || target.Status == ActorStatus.Halted;
        SendEvent(targetId, e, eventGroup, options);
        return halted ? Task.FromResult(false) : WaitIdle(targetId);
    }

    /// <summary>
    /// A task that completes when the actor can take no step (its inbox holds nothing it can
    /// dequeue, or it halted). Awaited by the test body, it is completed between two steps, so the
    /// body goes on there, on the engine's thread; awaited inside a handler it completes at once
    /// with false, as Coyote's does for a busy actor (a handler cannot wait but in ReceiveEventAsync).
    /// </summary>
    private Task<bool> WaitIdle(ActorId id)
    {
        Actor? a = Find(id);
        if (Running is not null)
        {
            return Task.FromResult(false);
        }

        if (a is null || a.Status == ActorStatus.Halted || !a.IsEnabled())
        {
            return Task.FromResult(true);
        }

        bodyAwaitsGroup = true;
        var done = new TaskCompletionSource<bool>();
        (idleWaiters ??= []).Add((a, done));
        return done.Task;
    }

    /// <summary>Completes the waits of actors that are now idle; the test body's continuation runs inline.</summary>
    private void WakeIdleWaiters()
    {
        List<(Actor Target, TaskCompletionSource<bool> Done)> waiters = idleWaiters!;
        for (int i = 0; i < waiters.Count;)
        {
            (Actor target, TaskCompletionSource<bool> done) = waiters[i];
            if (target.Status == ActorStatus.Halted || !target.IsEnabled())
            {
                waiters.RemoveAt(i);
                AsBody(() => done.TrySetResult(true));
            }
            else
            {
                i++;
            }
        }

        if (waiters.Count == 0 && ReferenceEquals(idleWaiters, waiters))
        {
            idleWaiters = null;
        }
    }
}
