namespace Verify.Actors;

/// <summary>Called when an event is dropped: its receiver has halted (or halts with it queued).</summary>
public delegate void OnEventDroppedHandler(Event e, ActorId targetId);
