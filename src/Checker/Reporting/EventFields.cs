using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;

namespace Verify;

/// <summary>
/// An event's public properties of simple types as <c>Cpu=0, Jiffies=104</c>, for the views of a
/// logged run (what a monitor observed). Read by reflection, once per type; never on an unlogged run.
/// </summary>
internal static class EventFields
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    internal static string? Describe(object e)
    {
        PropertyInfo[] props = Properties.GetOrAdd(e.GetType(), t => t
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && IsSimple(p.PropertyType))
            .OrderBy(p => p.MetadataToken)
            .ToArray());
        if (props.Length == 0)
        {
            return null;
        }

        var parts = new List<string>(props.Length);
        foreach (PropertyInfo p in props)
        {
            object? v;
            try
            {
                v = p.GetValue(e);
            }
            catch (TargetInvocationException)
            {
                continue;
            }

            if (v is not null)
            {
                parts.Add($"{p.Name}={Format(v)}");
            }
        }

        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static bool IsSimple(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal);
    }

    private static string Format(object v) => v switch
    {
        bool b => b ? "true" : "false",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? string.Empty,
    };
}
