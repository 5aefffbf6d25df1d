namespace Verify.Actors;

/// <summary>
/// A named group of related operations, carried from a sender to the handler of its event and on
/// to what that handler sends and creates (Coyote's <c>EventGroup</c>).
/// </summary>
public class EventGroup
{
    public EventGroup(Guid id = default, string? name = null)
    {
        Id = id;
        Name = name;
    }

    /// <summary>Pass it to a send or creation to clear the group: the receiver handles the event with no group.</summary>
    public static EventGroup Null { get; } = new(Guid.Empty, "null");

    public Guid Id { get; }

    public string? Name { get; }

    /// <summary>The group itself, or null for <see cref="Null"/>.</summary>
    internal static EventGroup? Normalize(EventGroup? group) => ReferenceEquals(group, Null) ? null : group;
}
