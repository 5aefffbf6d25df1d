using Verify.Logging;
using Verify.Specifications;

namespace Verify.Actors;

/// <summary>The runtime a test method receives: creates actors, sends events, registers monitors.</summary>
public interface IActorRuntime
{
    /// <summary>Called with the failure when a bug is found.</summary>
    event Action<Exception>? OnFailure;

    /// <summary>Model log lines; set it to also send them to a logger of your own (e.g. <see cref="MemoryLogger"/>).</summary>
    ILogger Logger { get; set; }

    /// <summary>Attaches an observer of actor and monitor activity for this iteration.</summary>
    void RegisterLog(IActorRuntimeLog log);

    void RemoveLog(IActorRuntimeLog log);

    ActorId CreateActorId(Type type, string? name = null);

    ActorId CreateActor(Type type, Event? initialEvent = null, EventGroup? eventGroup = null);

    ActorId CreateActor(Type type, string name, Event? initialEvent = null, EventGroup? eventGroup = null);

    ActorId CreateActor(ActorId id, Type type, Event? initialEvent = null, EventGroup? eventGroup = null);

    void SendEvent(ActorId targetId, Event e, EventGroup? eventGroup = null, SendOptions? options = null);

    /// <summary>Creates an actor; the task completes when it is idle (nothing it can dequeue), for an async test body to await.</summary>
    Task<ActorId> CreateActorAndExecuteAsync(Type type, Event? initialEvent = null, EventGroup? eventGroup = null);

    Task<ActorId> CreateActorAndExecuteAsync(ActorId id, Type type, Event? initialEvent = null, EventGroup? eventGroup = null);

    /// <summary>Sends an event; the task completes with true when the receiver is idle again, false if it has halted (or when called inside a handler).</summary>
    Task<bool> SendEventAndExecuteAsync(ActorId targetId, Event e, EventGroup? eventGroup = null, SendOptions? options = null);

    /// <summary>Called when an event is dropped because its receiver halted.</summary>
    event OnEventDroppedHandler? OnEventDropped;

    /// <summary>Called when an actor halts.</summary>
    event OnActorHaltedHandler? OnActorHalted;

    /// <summary>An id tied to <paramref name="name"/>: the same name gives the same id, bound or not; bind it with CreateActor(id, ...).</summary>
    ActorId CreateActorIdFromName(Type type, string name);

    /// <summary>Actors created and not halted (timers excluded).</summary>
    int GetCurrentActorCount();

    IEnumerable<ActorId> GetCurrentActorIds();

    /// <summary>The distinct types of the actors <see cref="GetCurrentActorIds"/> lists.</summary>
    IEnumerable<Type> GetCurrentActorTypes();

    ActorExecutionStatus GetActorExecutionStatus(ActorId id);

    /// <summary>The event group of the event the actor is handling, or null.</summary>
    EventGroup? GetCurrentEventGroup(ActorId currentActorId);

    void RegisterMonitor<T>()
        where T : Monitor;

    void RegisterMonitor(Type type);

    void Monitor<T>(Monitor.Event e);

    void Monitor(Type type, Monitor.Event e);

    bool RandomBoolean();

    int RandomInteger(int maxValue);

    void Assert(bool predicate);

    void Assert(bool predicate, string s, params object?[] args);
}
