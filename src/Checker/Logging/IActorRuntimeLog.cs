using Verify.Actors;
using Verify.Specifications;

namespace Verify.Logging;

/// <summary>
/// An observer of what actors and monitors do, attached with <see cref="IActorRuntime.RegisterLog"/>
/// (Coyote's actor runtime log). Every method has an empty default, so an observer overrides only
/// what it wants. Calls come on the engine's thread, in step order, and must not call back into the model.
/// </summary>
public interface IActorRuntimeLog
{
    void OnCreateActor(ActorId id, string creatorName, string creatorType)
    {
    }

    void OnCreateStateMachine(ActorId id, string creatorName, string creatorType)
    {
    }

    void OnSendEvent(ActorId targetActorId, string senderName, string senderType, string senderStateName, Event e, EventGroup eventGroup, bool isTargetHalted)
    {
    }

    void OnDequeueEvent(ActorId id, string stateName, Event e)
    {
    }

    void OnReceiveEvent(ActorId id, string stateName, Event e, bool wasBlocked)
    {
    }

    void OnWaitEvent(ActorId id, string stateName, params Type[] eventTypes)
    {
    }

    void OnIgnoreEvent(ActorId id, string stateName, Event e)
    {
    }

    void OnDefaultEventHandler(ActorId id, string stateName)
    {
    }

    /// <summary>An action ran for an event: the event was handled.</summary>
    void OnExecuteAction(ActorId id, string handlingStateName, string currentStateName, string actionName)
    {
    }

    void OnStateTransition(ActorId id, string stateName, bool isEntry)
    {
    }

    void OnGotoState(ActorId id, string currentStateName, string newStateName)
    {
    }

    void OnPushState(ActorId id, string currentStateName, string newStateName)
    {
    }

    void OnPopState(ActorId id, string currentStateName, string restoredStateName)
    {
    }

    void OnHalt(ActorId id, int inboxSize)
    {
    }

    void OnMonitorProcessEvent(string monitorType, string stateName, string senderName, string senderType, string senderStateName, Monitor.Event e)
    {
    }

    void OnMonitorStateTransition(string monitorType, string stateName, bool isEntry, bool? isInHotState)
    {
    }

    void OnRandom(bool result, string callerName, string callerType)
    {
    }

    void OnRandom(int result, string callerName, string callerType)
    {
    }

    void OnAssertionFailure(string error)
    {
    }
}
