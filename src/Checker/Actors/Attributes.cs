namespace Verify.Actors;

/// <summary>Declares an action of an <see cref="Actor"/> (not a state machine state) for an event type.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class OnEventDoActionAttribute : Attribute
{
    public OnEventDoActionAttribute(Type eventType, string actionName)
    {
        Event = eventType;
        Action = actionName;
    }

    internal Type Event { get; }

    internal string Action { get; }
}
