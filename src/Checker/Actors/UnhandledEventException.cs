namespace Verify.Actors;

/// <summary>
/// Passed to <c>OnException</c> when no state of an actor can handle an event; returning
/// HandledException or Halt there keeps the unhandled event from being a bug, as in Coyote.
/// </summary>
public sealed class UnhandledEventException : Exception
{
    public UnhandledEventException(Event unhandledEvent, string currentStateName, string message)
        : base(message)
    {
        UnhandledEvent = unhandledEvent;
        CurrentStateName = currentStateName;
    }

    public Event UnhandledEvent { get; }

    /// <summary>The state that could not handle the event; empty for a plain actor.</summary>
    public string CurrentStateName { get; }
}
