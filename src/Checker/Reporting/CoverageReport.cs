using System.Globalization;
using System.Text;
using Verify.Runtime;

namespace Verify;

/// <summary>
/// One coverage count. <see cref="Category"/> is <c>type</c> (actors started or monitors registered),
/// <c>state</c> (entries into <see cref="State"/>), <c>handler</c> (events of type <see cref="Event"/>
/// that <see cref="State"/>'s declaration handled, deferred or ignored, as <see cref="Action"/> says),
/// or <c>goto</c>, <c>push</c>, <c>pop</c> (transitions from <see cref="State"/> to <see cref="Action"/>).
/// </summary>
public sealed record CoverageEntry(string Type, string TypeKind, string Category, string State, string Event, string Action, long Count);

/// <summary>
/// What a campaign exercised, per actor and monitor type, summed over its iterations: states
/// entered, handler declarations used (handled, deferred, ignored), transitions taken. Declared
/// states and handlers never used are listed with count 0.
/// </summary>
public sealed class CoverageReport
{
    internal CoverageReport(IReadOnlyList<CoverageEntry> entries, long iterations)
    {
        Entries = entries;
        Iterations = iterations;
    }

    public IReadOnlyList<CoverageEntry> Entries { get; }

    /// <summary>Iterations the counts cover; 0 for a stateful search, whose counts cover the explored state space.</summary>
    public long Iterations { get; }

    /// <summary>Builds a report from entries (e.g. read back from report files).</summary>
    public static CoverageReport FromEntries(IEnumerable<CoverageEntry> entries, long iterations) => new(entries.ToList(), iterations);

    /// <summary>Sums reports of disjoint runs (shards): counts add up by entry.</summary>
    public static CoverageReport Merge(IEnumerable<CoverageReport> reports)
    {
        var sums = new Dictionary<CoverageEntry, long>();
        var order = new List<CoverageEntry>();
        long iterations = 0;
        foreach (CoverageReport r in reports)
        {
            iterations += r.Iterations;
            foreach (CoverageEntry e in r.Entries)
            {
                CoverageEntry key = e with { Count = 0 };
                if (!sums.TryGetValue(key, out long n))
                {
                    order.Add(key);
                }

                sums[key] = n + e.Count;
            }
        }

        var types = order.Select(e => (e.Type, e.TypeKind)).Distinct().OrderBy(t => t.Type, StringComparer.Ordinal).ThenBy(t => t.TypeKind, StringComparer.Ordinal).ToList();
        var merged = types.SelectMany(t => order.Where(e => e.Type == t.Type && e.TypeKind == t.TypeKind)).Select(e => e with { Count = sums[e] }).ToList();
        return new CoverageReport(merged, iterations);
    }

    internal static CoverageReport Build(CoverageCounter counts, long iterations)
    {
        var entries = new List<CoverageEntry>();
        foreach (CoverageUnit unit in CoverageSlots.Used(s => counts[s]).OrderBy(u => u.Name, StringComparer.Ordinal).ThenBy(u => u.Kind))
        {
            string kind = unit.Kind switch
            {
                CoverageUnitKind.Monitor => "monitor",
                CoverageUnitKind.StateMachine => "state machine",
                _ => "actor",
            };
            entries.Add(new CoverageEntry(unit.Name, kind, "type", string.Empty, string.Empty, string.Empty, counts[unit.Slot]));
            if (unit.Handlers is not null)
            {
                Handlers(entries, unit, kind, unit.Handlers, string.Empty, counts);
            }

            if (unit.Machine is not StateMachineInfo m)
            {
                continue;
            }

            var states = m.States.Values.OrderBy(s => s.Index).ToList();
            foreach (StateInfo s in states)
            {
                entries.Add(new CoverageEntry(unit.Name, kind, "state", s.Name, string.Empty, string.Empty, counts[s.EnteredSlot]));
            }

            foreach (StateInfo s in states)
            {
                Handlers(entries, unit, kind, s, s.Name, counts);
            }

            foreach ((string category, int k) in new[] { ("goto", 0), ("push", 1), ("pop", 2) })
            {
                foreach (StateInfo from in states)
                {
                    foreach (StateInfo to in states)
                    {
                        long n = counts[m.PairSlot(k, from, to)];
                        if (n > 0)
                        {
                            entries.Add(new CoverageEntry(unit.Name, kind, category, from.Name, string.Empty, to.Name, n));
                        }
                    }
                }
            }
        }

        return new CoverageReport(entries, iterations);
    }

    private static void Handlers(List<CoverageEntry> entries, CoverageUnit unit, string kind, StateInfo s, string state, CoverageCounter counts)
    {
        IEnumerable<(string Event, Transition T)> all = s.Handlers.Select(kv => (kv.Key.Name, kv.Value)).OrderBy(h => h.Name, StringComparer.Ordinal);
        if (s.WildCard is not null)
        {
            all = all.Append(("*", s.WildCard));
        }

        foreach ((string e, Transition t) in all)
        {
            string action = t.Kind switch
            {
                TransitionKind.Do => "do " + t.Action!.Name,
                TransitionKind.Goto => "goto " + (t.Target?.Name ?? t.TargetType?.Name),
                TransitionKind.Push => "push " + (t.Target?.Name ?? t.TargetType?.Name),
                TransitionKind.Defer => "defer",
                _ => "ignore",
            };
            entries.Add(new CoverageEntry(unit.Name, kind, "handler", state, e, action, counts[t.Slot]));
        }
    }

    /// <summary>One line per type: states entered, handlers used, transitions taken, and what was never entered.</summary>
    public IReadOnlyList<string> SummaryLines()
    {
        var lines = new List<string>();
        foreach (IGrouping<(string, string), CoverageEntry> g in Entries.GroupBy(e => (e.Type, e.TypeKind)))
        {
            var states = g.Where(e => e.Category == "state").ToList();
            var handlers = g.Where(e => e.Category == "handler").ToList();
            int transitions = g.Count(e => e.Category is "goto" or "push" or "pop");
            var never = states.Where(e => e.Count == 0).Select(e => e.State).ToList();
            string text = $"{g.Key.Item1} ({g.Key.Item2}): "
                + (states.Count > 0 ? $"states {states.Count(e => e.Count > 0)}/{states.Count}, " : string.Empty)
                + $"handlers {handlers.Count(e => e.Count > 0)}/{handlers.Count}"
                + (states.Count > 0 ? $", transitions {transitions}" : string.Empty)
                + (never.Count > 0 ? $"; never entered: {string.Join(", ", never)}" : string.Empty);
            lines.Add(text);
        }

        return lines;
    }

    /// <summary>The full report written to <c>name.coverage.txt</c>.</summary>
    public string ToText(string title)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        if (Iterations == 0)
        {
            sb.Append(c, $"Coverage of {title} over the explored state space (each transition explored counted once; 0 = never).\n");
        }
        else
        {
            sb.Append(c, $"Coverage of {title} over {Iterations} iterations (counts summed over them; 0 = never).\n");
        }
        foreach (IGrouping<(string, string), CoverageEntry> g in Entries.GroupBy(e => (e.Type, e.TypeKind)))
        {
            CoverageEntry? type = g.FirstOrDefault(e => e.Category == "type");
            string verb = g.Key.Item2 == "monitor" ? "registered" : "started";
            sb.Append(c, $"\n{g.Key.Item1} ({g.Key.Item2}), {verb} {type?.Count ?? 0} times\n");
            var states = g.Where(e => e.Category == "state").ToList();
            if (states.Count > 0)
            {
                sb.Append(c, $"  states entered: {states.Count(e => e.Count > 0)} of {states.Count}\n");
                Table(sb, states.Select(e => new[] { e.State, Count(e.Count) }).ToList());
            }

            var handlers = g.Where(e => e.Category == "handler").ToList();
            sb.Append(c, $"  handlers used: {handlers.Count(e => e.Count > 0)} of {handlers.Count}")
                .Append(c, $" (handled {Used(handlers, h => !h.Action.StartsWith("defer", StringComparison.Ordinal) && !h.Action.StartsWith("ignore", StringComparison.Ordinal))},")
                .Append(c, $" deferred {Used(handlers, h => h.Action == "defer")}, ignored {Used(handlers, h => h.Action == "ignore")})\n");
            Table(sb, handlers.Select(e => new[] { e.State.Length == 0 ? "-" : e.State, e.Event, e.Action, Count(e.Count) }).ToList());
            var transitions = g.Where(e => e.Category is "goto" or "push" or "pop").ToList();
            if (states.Count > 0)
            {
                sb.Append(c, $"  transitions taken: {transitions.Count}\n");
                Table(sb, transitions.Select(e => new[] { e.Category, e.State, "->", e.Action, Count(e.Count) }).ToList());
            }
        }

        return sb.ToString();
    }

    private static string Used(List<CoverageEntry> handlers, Func<CoverageEntry, bool> which)
    {
        var h = handlers.Where(which).ToList();
        return $"{h.Count(e => e.Count > 0)}/{h.Count}";
    }

    private static string Count(long n) => n == 0 ? "never" : n.ToString("N0", CultureInfo.InvariantCulture);

    private static void Table(StringBuilder sb, List<string[]> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        int cols = rows[0].Length;
        var widths = Enumerable.Range(0, cols).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (string[] r in rows)
        {
            sb.Append("    ");
            for (int i = 0; i < cols; i++)
            {
                bool last = i == cols - 1;
                sb.Append(last ? r[i].PadLeft(widths[i]) : r[i].PadRight(widths[i]));
                sb.Append(last ? "\n" : "  ");
            }
        }
    }
}
