using Verify.Logging;
using Verify.Specifications;

namespace Verify.Actors;

/// <summary>The runtime a test method receives: creates actors, sends events, registers monitors.</summary>
public interface IActorRuntime
{
    /// <summary>Called with the failure when a bug is found.</summary>
    event Action<Exception>? OnFailure;

    ILogger Logger { get; }

    ActorId CreateActorId(Type type, string? name = null);

    ActorId CreateActor(Type type, Event? initialEvent = null, EventGroup? eventGroup = null);

    ActorId CreateActor(Type type, string name, Event? initialEvent = null, EventGroup? eventGroup = null);

    ActorId CreateActor(ActorId id, Type type, Event? initialEvent = null, EventGroup? eventGroup = null);

    void SendEvent(ActorId targetId, Event e, EventGroup? eventGroup = null, SendOptions? options = null);

    void RegisterMonitor<T>()
        where T : Monitor;

    void Monitor<T>(Monitor.Event e)
        where T : Monitor;

    bool RandomBoolean();

    int RandomInteger(int maxValue);

    void Assert(bool predicate);

    void Assert(bool predicate, string s, params object?[] args);
}
