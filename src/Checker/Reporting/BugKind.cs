namespace Verify;

/// <summary>The kinds of bug the engine reports; the first bug of an iteration ends it.</summary>
public enum BugKind
{
    /// <summary>A failed assertion in an actor, a monitor or <c>Specification.Assert</c>.</summary>
    Assertion,

    /// <summary>An exception escaped a handler (and OnException did not handle it).</summary>
    Exception,

    /// <summary>An event no state of the receiver can handle.</summary>
    UnhandledEvent,

    /// <summary>No operation is enabled while some actor waits to receive.</summary>
    Deadlock,

    /// <summary>A monitor stayed hot: at the end of a terminated run, or past the temperature threshold.</summary>
    Liveness,

    /// <summary>An event sent with MustHandle was dropped.</summary>
    MustHandle,

    /// <summary>The run reached the step bound with --fail-on-max-steps.</summary>
    MaxSteps,

    /// <summary>A handler awaited something the engine does not schedule.</summary>
    UncontrolledAwait,

    /// <summary>One step made more than <see cref="Configuration.MaxEffectsPerStep"/> sends, creations and random choices.</summary>
    EffectBound,

    /// <summary>A step did not return: the watchdog found it still running past the time limit and its grace.</summary>
    Hang,
}
