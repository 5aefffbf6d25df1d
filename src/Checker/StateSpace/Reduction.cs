using Verify.Actors;
using Verify.Runtime;

namespace Verify.StateSpace;

/// <summary>
/// Partial-order reduction by persistent sets of one actor. A state where some actor's next step
/// is local expands that step only (with every random answer of it); other states expand every
/// enabled operation. A local step commutes with every step the other actors can take before it,
/// so postponing theirs loses no terminal state and no assertion failure (Godefroid's persistent
/// sets). Two provisos keep that true: the step, once run, must have been local after all (no
/// monitor notified, no actor created, not halted, not waiting), and it must reach a state not seen
/// before, which stops a cycle from postponing the others forever. Otherwise the state is expanded
/// fully after all. An actor that shares objects with others qualifies only if its type carries
/// <see cref="DeclaresSharedAccessAttribute"/>, and then only for steps that noted no shared access.
/// </summary>
internal sealed class Reduction(ActorRuntime runtime, StateCapture capture, bool on)
{
    /// <summary>States expanded through one actor only.</summary>
    internal long ReducedStates { get; set; }

    /// <summary>What a step's locality is judged by: counters taken before it runs.</summary>
    internal readonly record struct Footprint(long Notifications, long SharedAccesses, int Actors, int Monitors);

    internal Footprint Before() => new(runtime.MonitorNotifications, runtime.SharedAccesses, runtime.Actors.Count, runtime.Monitors.Count);

    /// <summary>
    /// Whether the step of actor <paramref name="id"/> just run was local: no monitor saw it, it noted
    /// no shared access, it created no actor and registered no monitor, and it neither halted nor
    /// started waiting (either makes later deliveries to it matter).
    /// </summary>
    internal bool WasLocal(Footprint before, int id)
    {
        Actor a = runtime.Actors[id - 1]!;
        return runtime.MonitorNotifications == before.Notifications
            && runtime.SharedAccesses == before.SharedAccesses
            && runtime.Actors.Count == before.Actors
            && runtime.Monitors.Count == before.Monitors
            && a.Status != ActorStatus.Halted
            && a.Receiving is null;
    }

    /// <summary>
    /// The operations to explore from a new state. With reduction, an actor whose step is local goes
    /// first and alone. Actors resuming a receive go last: their step spends the snapshot's
    /// continuation, and after the last operation the state is not needed again.
    /// </summary>
    internal void Order(SearchNode node, ReadOnlySpan<int> enabled)
    {
        int n = enabled.Length;
        Span<int> ops = node.Ops;
        int candidate = 0;
        if (on && n > 1)
        {
            foreach (int id in enabled)
            {
                if (IsLocalStep(runtime.Actors[id - 1]!, id - 1))
                {
                    candidate = id;
                    break;
                }
            }
        }

        int k = 0;
        if (candidate != 0)
        {
            ops[k++] = candidate;
        }

        int resuming = 0;
        foreach (int id in enabled)
        {
            if (id == candidate)
            {
                continue;
            }

            if (runtime.Actors[id - 1]!.Receiving is null)
            {
                ops[k++] = id;
            }
            else
            {
                resuming++;
            }
        }

        if (resuming > 0)
        {
            foreach (int id in enabled)
            {
                if (id != candidate && runtime.Actors[id - 1]!.Receiving is not null)
                {
                    ops[k++] = id;
                }
            }
        }

        node.Limit = candidate != 0 ? 1 : n;
        if (candidate != 0)
        {
            ReducedStates++;
        }
    }

    /// <summary>
    /// A step that commutes with every step other actors can take before it: it runs a handler (a
    /// delivery would race with other senders to the same inbox), on an event already in the inbox
    /// (others can only append behind it; the default event would lose to an appended one), and the
    /// actor shares no mutable object with another actor or a monitor, or declares its shared
    /// accesses itself. Whether it notifies a monitor, notes a shared access, creates an actor, halts
    /// or waits is checked after it runs.
    /// </summary>
    private bool IsLocalStep(Actor a, int index)
    {
        if (a.HasOutbox || (!a.Info.DeclaresSharedAccess && capture.Shares(index)))
        {
            return false;
        }

        // An actor that declares its shared accesses vouches that nobody sends to it before its
        // next step, so its default event counts too.
        return a.Status == ActorStatus.Created
            || (a.Status == ActorStatus.Active && (a.Receiving is not null || a.FindDequeuable() >= 0
                || (a.Info.DeclaresSharedAccess && a.HandlesDefaultNow())));
    }
}
