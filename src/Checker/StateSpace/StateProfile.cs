using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using Verify.Actors;
using Verify.Runtime;
using Verify.Specifications;

namespace Verify.StateSpace;

/// <summary>
/// Which parts of a model's state vary: over the distinct states a search reaches, how many
/// different values each field path held (<c>CpuMachine(1).k.cpus[0].statements_since_tick</c>).
/// A path with many values where the property needs few is where the state space grows (a counter
/// that records history, a clock, a list that keeps what it no longer needs). It walks the same
/// fields the state hash reads ([NotHashed] and [Frozen] fields left out) by reflection, so it is a
/// diagnostic, far slower than the search: every new state is walked. Each object is walked once
/// per state, breadth-first, so it is named by its shortest path from an actor or monitor (ties go
/// to the first root, then the first field in declaration order): the name an object has does not
/// depend on which task happens to hold a pointer to it.
/// </summary>
internal sealed class StateProfile
{
    // A path stops counting values at this many (reported as "at least").
    internal const int DistinctCap = 1 << 16;

    private readonly Dictionary<string, HashSet<long>> values = new(StringComparer.Ordinal);
    private readonly HashSet<object> seen = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<(object Object, string Path)> pending = new();

    /// <summary>States walked.</summary>
    internal long States { get; private set; }

    /// <summary>Walks the state the runtime is in and adds each field path's value.</summary>
    internal void Sample(ActorRuntime runtime)
    {
        States++;
        seen.Clear();
        pending.Clear();
        foreach (Actor? a in runtime.Actors)
        {
            if (a is null)
            {
                continue;
            }

            string root = a.Id.Name;
            Add(root + ".<state>", a is StateMachine { CurrentStateName: { Length: > 0 } name } && a.Status != ActorStatus.Halted ? name : a.Status.ToString());
            if (a.Status != ActorStatus.Halted)
            {
                Add(root + ".<inbox>", a.Inbox.Count);
                WalkFields(a, a.GetType(), typeof(StateMachine).IsAssignableFrom(a.GetType()) ? typeof(StateMachine) : typeof(Actor), root);
            }
        }

        foreach (Monitor m in runtime.Monitors)
        {
            Add(m.Name + ".<state>", m.CurrentInfo.Name);
            WalkFields(m, m.GetType(), typeof(Monitor), m.Name);
        }

        while (pending.TryDequeue(out (object Object, string Path) next))
        {
            Expand(next.Object, next.Path);
        }
    }

    /// <summary>The paths with the most distinct values, most first (ties by name).</summary>
    internal IReadOnlyList<(string Path, int Distinct)> Top(int count) =>
        values.Select(kv => (kv.Key, kv.Value.Count))
            .OrderByDescending(p => p.Count)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(count)
            .ToList();

    private void WalkFields(object o, Type type, Type? stop, string path)
    {
        foreach (FieldInfo f in TypeShape.Fields(type, stop))
        {
            if (!TypeShape.IsHashed(f))
            {
                continue;
            }

            Walk(f.GetValue(o), path + "." + TypeShape.FieldDisplayName(f.Name));
        }
    }

    private void Walk(object? v, string path)
    {
        if (v is null || v is string || v is ActorId || v is Type || v.GetType().IsPrimitive || v.GetType().IsEnum || v is decimal)
        {
            Add(path, v);
            return;
        }

        Type t = v.GetType();
        if (t.IsValueType)
        {
            // A struct: its fields, or the struct as one value when it has none worth naming.
            List<FieldInfo> fields = TypeShape.Fields(t, null);
            if (fields.Count == 0)
            {
                Add(path, v);
                return;
            }

            WalkFields(v, t, null, path);
            return;
        }

        if (v is Delegate || v is Task || v is Actor || v is Monitor || v is StateInfo || v is IActorRuntime
            || v is Logging.ILogger || v is ActorInfo || v is StateMachineInfo || v is ReadableLog)
        {
            // Not model state, or another root (walked as itself).
            return;
        }

        if (seen.Add(v))
        {
            pending.Enqueue((v, path));
        }
    }

    private void Expand(object v, string path)
    {
        Type t = v.GetType();
        if (v is IEnumerable e && (t.IsArray || t.Namespace?.StartsWith("System.Collections", StringComparison.Ordinal) == true))
        {
            int i = 0;
            foreach (object? item in e)
            {
                Walk(item, path + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");
                i++;
            }

            Add(path + ".<count>", i);
            return;
        }

        WalkFields(v, t, null, path);
    }

    private void Add(string path, object? value)
    {
        if (!values.TryGetValue(path, out HashSet<long>? set))
        {
            set = [];
            values[path] = set;
        }

        if (set.Count < DistinctCap)
        {
            set.Add(value is null ? long.MinValue : ValueHash(value));
        }
    }

    private static long ValueHash(object value) => value switch
    {
        string s => StringHash(s),
        Type t => StringHash(t.FullName ?? t.Name),
        _ => ((long)RuntimeHelpers.GetHashCode(value.GetType()) << 32) ^ (uint)value.GetHashCode(),
    };

    private static long StringHash(string s)
    {
        // FNV-1a over the characters: the same string, the same value, in every state.
        ulong h = 14695981039346656037UL;
        foreach (char c in s)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return (long)h;
    }
}
