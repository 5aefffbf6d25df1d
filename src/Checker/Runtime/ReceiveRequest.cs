using Verify.Actors;

namespace Verify.Runtime;

/// <summary>
/// An actor waiting in ReceiveEventAsync for an event of some types. The engine completes the
/// task from its own thread when it schedules the actor; the run has no synchronization context,
/// so the handler's continuation runs inline, on that thread, within that step.
/// </summary>
internal sealed class ReceiveRequest(Actor actor, Type[] types, Func<Event, bool>? predicate)
{
    private readonly TaskCompletionSource<Event> completion = new();

    internal Task<Event> Task => completion.Task;

    internal Type[] Types => types;

    internal Func<Event, bool>? Predicate => predicate;

    internal string WaitedTypes => string.Join(", ", types.Select(t => t.Name));

    internal int FindMatch()
    {
        for (int i = 0; i < actor.Inbox.Count; i++)
        {
            Event e = actor.Inbox[i].Event;
            if (Array.IndexOf(types, e.GetType()) >= 0 && (predicate is null || predicate(e)))
            {
                return i;
            }
        }

        return -1;
    }

    internal void Complete(Event e) => completion.SetResult(e);
}
