using System.Diagnostics.CodeAnalysis;
using Verify.Runtime;

namespace Verify.Actors.SharedObjects;

/// <summary>A dictionary actors share (Coyote's <c>SharedDictionary</c>); each operation is atomic and a scheduling point, as <see cref="SharedCounter"/>'s.</summary>
public sealed class SharedDictionary<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> items;

    private SharedDictionary(IEqualityComparer<TKey>? comparer) => items = new Dictionary<TKey, TValue>(comparer);

    public static SharedDictionary<TKey, TValue> Create(IActorRuntime runtime) => Create(runtime, null);

    public static SharedDictionary<TKey, TValue> Create(IActorRuntime runtime, IEqualityComparer<TKey>? comparer)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return new SharedDictionary<TKey, TValue>(comparer);
    }

    public int Count
    {
        get
        {
            ActorRuntime.SharedObjectOperation();
            return items.Count;
        }
    }

    public TValue this[TKey key]
    {
        get
        {
            ActorRuntime.SharedObjectOperation();
            return items[key];
        }

        set
        {
            ActorRuntime.SharedObjectOperation();
            items[key] = value;
        }
    }

    public bool TryAdd(TKey key, TValue value)
    {
        ActorRuntime.SharedObjectOperation();
        return items.TryAdd(key, value);
    }

    /// <summary>Sets <paramref name="newValue"/> if the key holds <paramref name="comparisonValue"/>.</summary>
    public bool TryUpdate(TKey key, TValue newValue, TValue comparisonValue)
    {
        ActorRuntime.SharedObjectOperation();
        if (items.TryGetValue(key, out TValue? current) && EqualityComparer<TValue>.Default.Equals(current, comparisonValue))
        {
            items[key] = newValue;
            return true;
        }

        return false;
    }

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        ActorRuntime.SharedObjectOperation();
        return items.TryGetValue(key, out value);
    }

    public bool TryRemove(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        ActorRuntime.SharedObjectOperation();
        return items.Remove(key, out value);
    }
}
