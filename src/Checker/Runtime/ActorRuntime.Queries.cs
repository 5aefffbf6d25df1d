using Verify.Actors;

namespace Verify.Runtime;

/// <summary>Coyote's runtime queries: ids from names, the actors alive and their status, halting hooks.</summary>
internal sealed partial class ActorRuntime
{
    // Ids of CreateActorIdFromName, by name; null until the first such call.
    private Dictionary<string, ActorId>? namedIds;

    public ActorId CreateActorIdFromName(Type type, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        namedIds ??= [];

        // A stateful search may have restored a state from before the name was taken: the id
        // stands only if its slot still exists and is free or bound to the actor given that id.
        if (namedIds.TryGetValue(name, out ActorId? known) && known.Value <= actors.Count
            && (actors[(int)known.Value - 1] is not Actor bound || ReferenceEquals(bound.Id, known)))
        {
            return known;
        }

        ActorId id = CreateActorId(type, name);
        namedIds[name] = id;
        return id;
    }

    public int GetCurrentActorCount() => CurrentActors().Count();

    public IEnumerable<ActorId> GetCurrentActorIds() => CurrentActors().Select(a => a.Id).ToList();

    public IEnumerable<Type> GetCurrentActorTypes() => CurrentActors().Select(a => a.GetType()).Distinct().ToList();

    private IEnumerable<Actor> CurrentActors() =>
        actors.OfType<Actor>().Where(a => a.Status != ActorStatus.Halted && a is not Verify.Actors.Timers.TimerActor);

    public ActorExecutionStatus GetActorExecutionStatus(ActorId id)
    {
        Actor? a = Find(id);
        return a is null ? ActorExecutionStatus.None
            : a.Status == ActorStatus.Halted ? ActorExecutionStatus.Halted
            : a.HaltPending ? ActorExecutionStatus.Halting
            : ActorExecutionStatus.Active;
    }

    public EventGroup? GetCurrentEventGroup(ActorId currentActorId) => Find(currentActorId)?.CurrentEventGroup;

    private Actor? Find(ActorId id) => id.Value >= 1 && id.Value <= actors.Count ? actors[(int)id.Value - 1] : null;

    /// <summary>An actor halted: tells OnActorHalted, then OnEventDropped for each event left in its inbox.</summary>
    internal void Halted(Actor a)
    {
        OnActorHalted?.Invoke(a.Id);
        if (OnEventDropped is not null)
        {
            for (int i = 0; i < a.Inbox.Count; i++)
            {
                OnEventDropped(a.Inbox[i].Event, a.Id);
            }
        }
    }
}
