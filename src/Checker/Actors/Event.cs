using Verify.Specifications;

namespace Verify.Actors;

/// <summary>An event sent between actors, or to a monitor. Subclass it with plain fields.</summary>
public abstract class Event : Monitor.Event
{
}

/// <summary>Halts the actor that dequeues it, unless its state handles it.</summary>
public sealed class HaltEvent : Event
{
    public static HaltEvent Instance { get; } = new();
}

/// <summary>Handled when no other event can be dequeued and the current state declares a handler for it.</summary>
public sealed class DefaultEvent : Event
{
    public static DefaultEvent Instance { get; } = new();
}

/// <summary>Matches any event in handler attributes (not <see cref="HaltEvent"/> or <see cref="DefaultEvent"/>).</summary>
public sealed class WildCardEvent : Event
{
}
