namespace Verify.Actors;

/// <summary>Where an actor is in its life, as <see cref="IActorRuntime.GetActorExecutionStatus"/> reports it.</summary>
public enum ActorExecutionStatus
{
    /// <summary>No actor has this id (never created, or the id is only reserved).</summary>
    None = 0,

    /// <summary>Created and not halting.</summary>
    Active,

    /// <summary>Will halt when its current step ends.</summary>
    Halting,

    /// <summary>Halted: it drops what it is sent.</summary>
    Halted,
}
