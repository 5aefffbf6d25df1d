using System.Text;

namespace Verify;

/// <summary>
/// The readable trace as a text timeline, like a kernel trace report with one column per CPU: one
/// column per actor, one row per step, monitor state changes in the last column, the bug last.
/// </summary>
internal static class TraceTimeline
{
    private const int MinWidth = 10;
    private const int MaxWidth = 30;

    /// <summary>Default page width: wider tables switch to the compact map (one character per actor).</summary>
    internal const int DefaultMaxWidth = 160;

    internal static string Render(IReadOnlyList<TraceEvent> events, string title, int maxWidth = DefaultMaxWidth)
    {
        TraceLanes lanes = TraceLanes.Build(events);
        string columns = Columns(lanes, title);
        int widest = columns.Split('\n').Max(l => l.Length);
        return widest <= maxWidth ? columns : Map(lanes, title);
    }

    private static string Columns(TraceLanes lanes, string title)
    {
        int n = lanes.Actors.Count;
        var widths = new int[n + 1];
        var cells = new List<(TraceLanes.StepRow Row, List<string>[] Cells)>();
        for (int i = 0; i < n; i++)
        {
            widths[i] = Math.Clamp(lanes.Actors[i].Name.Length, MinWidth, MaxWidth);
        }

        widths[n] = lanes.Monitors.Count > 0 ? MinWidth : 0;
        foreach (TraceLanes.StepRow row in lanes.Rows)
        {
            var c = new List<string>[n + 1];
            for (int i = 0; i <= n; i++)
            {
                c[i] = [];
            }

            foreach (TraceEvent e in row.Events)
            {
                int lane;
                if (e.Kind == TraceEventKind.Bug || e.Kind == TraceEventKind.MonitorObserved)
                {
                    continue;
                }

                lane = e.IsMonitorMark ? n : lanes.LaneIndex(e.ActorNumber);
                if (lane < 0)
                {
                    continue;
                }

                string text = TraceLanes.Short(e);
                c[lane].Add(text);
                widths[lane] = Math.Clamp(Math.Max(widths[lane], text.Length), MinWidth, lane == n ? 2 * MaxWidth : MaxWidth);
            }

            cells.Add((row, c));
        }

        var sb = new StringBuilder();
        Title(sb, lanes, title);
        sb.Append("One column per actor")
            .Append(lanes.Monitors.Count > 0 ? ", monitor state changes on the right" : string.Empty)
            .Append("; '*' marks a step whose actor differs from the previous step's.\n\n");

        var header = new List<string>(lanes.Actors.Select(a => a.Name));
        header.Add(lanes.Monitors.Count > 0 ? "monitors" : string.Empty);
        Line(sb, " step ", header, widths);
        sb.Append("------");
        for (int i = 0; i <= n; i++)
        {
            if (widths[i] > 0)
            {
                sb.Append("+-").Append('-', widths[i]).Append('-');
            }
        }

        sb.Append('\n');
        foreach ((TraceLanes.StepRow row, List<string>[] c) in cells)
        {
            List<string>[] wrapped = c.Select((texts, i) => Wrap(texts, widths[i])).ToArray();
            int height = Math.Max(1, wrapped.Max(w => w.Count));
            if (wrapped.All(w => w.Count == 0))
            {
                continue;
            }

            for (int k = 0; k < height; k++)
            {
                string step = k == 0 ? $"{row.Step,5}{(row.Switch ? "*" : " ")}" : "      ";
                Line(sb, step, wrapped.Select(w => k < w.Count ? w[k] : string.Empty).ToList(), widths);
            }
        }

        BugLine(sb, lanes);
        return sb.ToString();
    }

    /// <summary>
    /// Many actors: a map like <c>perf sched map</c>, one character per actor ('#' ran this step,
    /// 'o' was sent an event or created, '.' exists, blank not yet created or halted), then what happened.
    /// </summary>
    private static string Map(TraceLanes lanes, string title)
    {
        var sb = new StringBuilder();
        Title(sb, lanes, title);
        sb.Append("One character per actor: '#' ran the step, 'o' was sent an event or created, '.' exists; '*' marks a context switch.\nActors:");
        foreach (TraceLanes.Lane lane in lanes.Actors)
        {
            sb.Append(' ').Append(Label(lane)).Append(' ').Append(lane.Name).Append(';');
        }

        sb.Length--;
        sb.Append("\n\n");
        int n = lanes.Actors.Count;
        int digits = lanes.Actors.Select(a => a.Number).DefaultIfEmpty(0).Max().ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        for (int d = digits - 1; d >= 0; d--)
        {
            sb.Append("       ");
            foreach (TraceLanes.Lane lane in lanes.Actors)
            {
                string label = Label(lane).PadLeft(digits);
                sb.Append(label[digits - 1 - d]);
            }

            sb.Append(d == 0 ? "  what happened\n" : "\n");
        }

        var alive = new bool[n];
        foreach (TraceLanes.StepRow row in lanes.Rows)
        {
            var mark = new char[n];
            var texts = new List<string>();
            var monitors = new List<string>();
            string? lastWho = null;
            foreach (TraceEvent e in row.Events)
            {
                if (e.IsMonitorMark)
                {
                    monitors.Add(TraceLanes.Short(e));
                    continue;
                }

                if (e.Kind is TraceEventKind.Bug or TraceEventKind.MonitorObserved)
                {
                    continue;
                }

                int lane = lanes.LaneIndex(e.ActorNumber);
                if (lane >= 0)
                {
                    alive[lane] = true;
                    mark[lane] = '#';
                }

                if (e.Kind is TraceEventKind.Sent or TraceEventKind.Created && lanes.LaneIndex(e.TargetNumber) is int t && t >= 0 && mark[t] != '#')
                {
                    mark[t] = 'o';
                    alive[t] |= e.Kind == TraceEventKind.Created;
                }

                string who = e.Actor ?? TraceLanes.TestLane;
                texts.Add(who == lastWho ? TraceLanes.Short(e) : $"{who}: {TraceLanes.Short(e)}");
                lastWho = who;
            }

            if (texts.Count == 0 && monitors.Count == 0)
            {
                continue;
            }

            sb.Append($"{row.Step,5}{(row.Switch ? "*" : " ")} ");
            for (int i = 0; i < n; i++)
            {
                sb.Append(mark[i] != '\0' ? mark[i] : alive[i] ? '.' : ' ');
            }

            sb.Append("  ").Append(string.Join("; ", texts));
            if (monitors.Count > 0)
            {
                sb.Append(texts.Count > 0 ? "  " : string.Empty).Append('[').Append(string.Join("; ", monitors)).Append(']');
            }

            sb.Append('\n');
            foreach (TraceEvent e in row.Events)
            {
                if (e.Kind == TraceEventKind.Halted && lanes.LaneIndex(e.ActorNumber) is int h && h >= 0)
                {
                    alive[h] = false;
                }
            }
        }

        BugLine(sb, lanes);
        return sb.ToString();
    }

    private static string Label(TraceLanes.Lane lane) =>
        lane.Number == 0 ? "t" : lane.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void Title(StringBuilder sb, TraceLanes lanes, string title)
    {
        sb.Append("Timeline of ").Append(title).Append('\n');
        if (lanes.Bug is not null)
        {
            sb.Append("Bug: ").Append(lanes.Bug.Detail).Append(" (step ").Append(lanes.Bug.Step).Append(")\n");
        }

        sb.Append(lanes.Steps).Append(" steps, ").Append(lanes.ContextSwitches).Append(" context switches, ")
            .Append(lanes.Actors.Count(a => a.Number > 0)).Append(" actors, ").Append(lanes.Monitors.Count).Append(" monitors.\n");
    }

    private static void BugLine(StringBuilder sb, TraceLanes lanes)
    {
        if (lanes.Bug is not null)
        {
            sb.Append('\n').Append(lanes.Bug.Step.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(5)).Append("  BUG ").Append(lanes.Bug.Detail).Append('\n');
        }
    }

    private static void Line(StringBuilder sb, string step, IReadOnlyList<string> texts, int[] widths)
    {
        sb.Append(step);
        for (int i = 0; i < widths.Length; i++)
        {
            if (widths[i] > 0)
            {
                sb.Append("| ").Append(texts[i].PadRight(widths[i])).Append(' ');
            }
        }

        sb.Append('\n');
        // Trailing blanks make diffs noisy; the last column needs no padding.
        int end = sb.Length - 1;
        int start = end;
        while (start > 0 && sb[start - 1] == ' ')
        {
            start--;
        }

        sb.Remove(start, end - start);
    }

    /// <summary>Wraps each entry to the column width at spaces (or hard, for long words); entries start on new lines.</summary>
    private static List<string> Wrap(List<string> texts, int width)
    {
        var result = new List<string>();
        foreach (string text in texts)
        {
            string rest = text;
            bool first = true;
            while (rest.Length > 0)
            {
                int room = first ? width : width - 2;
                string prefix = first ? string.Empty : "  ";
                if (rest.Length <= room)
                {
                    result.Add(prefix + rest);
                    break;
                }

                int cut = rest.LastIndexOf(' ', room);
                if (cut <= 0)
                {
                    cut = room;
                }

                result.Add(prefix + rest[..cut].TrimEnd());
                rest = rest[cut..].TrimStart();
                first = false;
            }
        }

        return result;
    }
}
