namespace Verify.Actors;

/// <summary>Identifies an actor within one test iteration. Values follow creation order, starting at 1.</summary>
public sealed class ActorId : IEquatable<ActorId>
{
    private string? name;

    internal ActorId(long value, string type, string? name, IActorRuntime runtime)
    {
        Runtime = runtime;
        Value = value;
        Type = type;
        this.name = name;
    }

    /// <summary>The runtime of the iteration that created this id.</summary>
    public IActorRuntime Runtime { get; }

    /// <summary>Creation-order number; also the operation id in traces.</summary>
    public long Value { get; }

    /// <summary>Full type name of the actor.</summary>
    public string Type { get; }

    /// <summary>Name given at creation, or <c>Type(Value)</c>.</summary>
    public string Name => name ??= $"{ShortName(Type)}({Value})";

    public bool Equals(ActorId? other) => other is not null && other.Value == Value;

    public override bool Equals(object? obj) => obj is ActorId other && Equals(other);

    public override int GetHashCode() => Value.GetHashCode();

    public override string ToString() => Name;

    /// <summary>A type's full name with generic arguments written as C# does: <c>Ns.Outer+Machine&lt;Int32&gt;</c>.</summary>
    internal static string ReadableName(System.Type type)
    {
        string full = type.FullName ?? type.Name;
        if (!type.IsGenericType)
        {
            return full;
        }

        string args = string.Join(", ", type.GetGenericArguments().Select(a => ShortName(ReadableName(a))));
        return $"{Stem(type)}<{args}>";
    }

    private static string Stem(System.Type t)
    {
        string name = t.Name;
        int tick = name.IndexOf('`');
        name = tick < 0 ? name : name[..tick];
        string prefix = t.DeclaringType is { } outer ? Stem(outer) + "+" : t.Namespace is { } ns ? ns + "." : string.Empty;
        return prefix + name;
    }

    internal static string ShortName(string type)
    {
        int angle = type.IndexOf('<');
        int i = (angle < 0 ? type : type[..angle]).LastIndexOfAny(['.', '+']);
        return i < 0 ? type : type[(i + 1)..];
    }
}
