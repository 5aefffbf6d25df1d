namespace Verify.Actors;

/// <summary>Called when an actor halts.</summary>
public delegate void OnActorHaltedHandler(ActorId id);
