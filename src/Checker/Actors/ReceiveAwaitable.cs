using System.Runtime.CompilerServices;
using Verify.Runtime;

namespace Verify.Actors;

/// <summary>What <c>ReceiveEventAsync</c> returns: awaitable inside an async handler.</summary>
public readonly struct ReceiveAwaitable
{
    private readonly Actor actor;
    private readonly Type[] types;
    private readonly Func<Event, bool>? predicate;

    internal ReceiveAwaitable(Actor actor, Type[] types, Func<Event, bool>? predicate)
    {
        this.actor = actor;
        this.types = types;
        this.predicate = predicate;
    }

    public ReceiveAwaiter GetAwaiter() => new(actor, types, predicate);
}

/// <summary>
/// Suspends an async handler until a matching event is in the inbox. The continuation is run
/// by the engine on its own thread when it schedules the receiving actor, so no OS thread waits.
/// </summary>
public sealed class ReceiveAwaiter : ICriticalNotifyCompletion
{
    private readonly Actor actor;
    private readonly Type[] types;
    private readonly Func<Event, bool>? predicate;
    private Action? continuation;
    private Event? result;

    internal ReceiveAwaiter(Actor actor, Type[] types, Func<Event, bool>? predicate)
    {
        this.actor = actor;
        this.types = types;
        this.predicate = predicate;
        int i = FindMatch();
        if (i >= 0)
        {
            Envelope env = actor.Inbox.RemoveAt(i);
            actor.Runtime.Log?.Received(actor, env);
            result = env.Event;
        }
    }

    public bool IsCompleted => result is not null;

    public Event GetResult() => result ?? throw new InvalidOperationException("checker bug: receive completed without an event; please attach the trace");

    public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

    public void UnsafeOnCompleted(Action continuation)
    {
        this.continuation = continuation;
        actor.Receiving = this;
        actor.Runtime.Log?.Waiting(actor, WaitedTypes);
    }

    internal string WaitedTypes => string.Join(", ", types.Select(t => t.Name));

    internal int FindMatch()
    {
        for (int i = 0; i < actor.Inbox.Count; i++)
        {
            Event e = actor.Inbox[i].Event;
            Type et = e.GetType();
            if (Array.IndexOf(types, et) >= 0 && (predicate is null || predicate(e)))
            {
                return i;
            }
        }

        return -1;
    }

    internal void Complete(Event e)
    {
        result = e;
        Action k = continuation!;
        continuation = null;
        k();
    }
}
