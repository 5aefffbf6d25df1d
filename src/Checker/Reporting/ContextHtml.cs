using System.Text;

namespace Verify;

/// <summary>
/// The HTML trace view of a kernel model (<see cref="TraceContexts"/>): time flows down one row per
/// step, with the jiffies on the left; each CPU has a narrow lane per context (tasks, kthreads, idle,
/// softirq, irq), filled where the context ran, pale where it stayed current while another CPU ran,
/// hatched where an interrupt ran on top of it, and beside them the full text of what the CPU did. The
/// monitors' columns say what they observed and the state they are in; rows are shaded while a monitor
/// is hot or one of its windows is open; the bug step carries the observation that triggered the bug
/// and the bug's message. Steps before the part that matters are folded into a <c>details</c> element.
/// Self-contained (inline CSS, no script, nothing fetched) and well-formed XML.
/// </summary>
internal static class ContextHtml
{
    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1d2330; background: #fbfbfd; }
        header { padding: 12px 18px 8px 18px; }
        h1 { font-size: 17px; margin: 0 0 4px 0; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
        .facts { font-size: 13px; color: #4a5163; margin: 2px 0; }
        .bug-summary { margin: 8px 0 4px 0; padding: 8px 10px; border-left: 5px solid #c62828; background: #fdecea; font-family: ui-monospace, monospace; font-size: 13px; white-space: pre-wrap; overflow-wrap: anywhere; }
        .bug-summary .trigger-line { color: #4a5163; }
        ul.intervals { margin: 6px 0; padding-left: 18px; font-size: 13px; }
        ul.intervals li.window::marker { color: #e0a000; }
        ul.intervals li.hot::marker { color: #e53935; }
        .legend { font-size: 12px; color: #4a5163; margin: 6px 0 0 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
        .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; vertical-align: -1px; margin-right: 4px; }
        .trace { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
        .row { display: grid; grid-template-columns: var(--cols); border-top: 1px solid #eceef3; }
        .row > div { min-width: 0; }
        .row.head { position: sticky; top: 0; z-index: 3; background: #f1f3f8; border-bottom: 1px solid #b9c0d0; font-family: system-ui, sans-serif; font-weight: 600; font-size: 12px; align-items: end; }
        .row.head > div { padding: 4px 4px; overflow-wrap: anywhere; }
        .row.head .lh { padding: 4px 0; display: flex; justify-content: center; }
        .row.head .lh span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: 500; font-size: 11px; }
        .row.head .ph { border-left: 2px solid #b9c0d0; }
        .row.window { background: #fff3d1; }
        .row.hot { background: #fde4e2; }
        .row.tick { border-top: 2px solid #56617a; }
        .step { padding: 2px 6px 2px 4px; text-align: right; color: #6b7385; }
        .jif { padding: 2px 6px; text-align: right; color: #8a91a3; background: #f4f5f9; }
        .row.jodd .jif { background: #e8ebf2; }
        .row.tick .jif { color: #1d2330; font-weight: 700; }
        .text { padding: 2px 8px; white-space: pre-wrap; overflow-wrap: anywhere; border-left: 1px solid #e2e5ec; }
        .span { padding: 2px 8px; white-space: pre-wrap; overflow-wrap: anywhere; }
        .ctx { display: inline-block; padding: 0 4px; margin-right: 4px; border-radius: 3px; color: #ffffff; background: var(--k); font-size: 11px; }
        .model { color: #7a8194; font-size: 11px; font-style: italic; }
        .log { color: #37474f; }
        .note { color: #4a5163; font-style: italic; }
        .l { background: linear-gradient(to right, transparent 6px, #d9dde6 6px, #d9dde6 8px, transparent 8px); }
        .l.ran { background: var(--k); background-clip: content-box; padding: 0 2px; }
        .l.cur { background: var(--k2); background-clip: content-box; padding: 0 2px; }
        .l.intr { background: repeating-linear-gradient(45deg, var(--k2) 0 3px, transparent 3px 6px); background-clip: content-box; padding: 0 2px; }
        .task { --k: #2f6fdb; --k2: #c3d5f5; }
        .kthread { --k: #7b1fa2; --k2: #dcc3e6; }
        .idle { --k: #8d939e; --k2: #dfe1e5; }
        .softirq { --k: #e66a00; --k2: #f8d3b0; }
        .irq { --k: #c62828; --k2: #f1c0c0; }
        .mon { padding: 2px 6px; font-size: 11px; border-left: 1px solid #e2e5ec; white-space: pre-wrap; overflow-wrap: anywhere; }
        .mon.hot { background: #f6c3bf; }
        .mon.cold { background: #dde9fa; }
        .mon.window { box-shadow: inset 4px 0 0 #e0a000; }
        .mon .change { font-weight: 700; color: #1d2330; }
        .mon .observed { color: #4a5163; }
        .mon .opens, .mon .closes { color: #8a5a00; }
        .row.bug { outline: 2.5px solid #c62828; outline-offset: -2px; background: #fff0ee; }
        .trigger { margin-top: 3px; color: #4a5163; }
        .trigger b { color: #1d2330; }
        .bug-text { margin-top: 3px; padding: 3px 6px; background: #c62828; color: #ffffff; font-weight: 700; border-radius: 3px; }
        details.prefix > summary { cursor: pointer; padding: 6px 12px; background: #eef0f5; color: #37474f; font-family: system-ui, sans-serif; font-size: 13px; border-top: 1px solid #c9cedb; border-bottom: 1px solid #c9cedb; }
        details.prefix[open] > summary { border-bottom: 2px dashed #9aa3b5; }
        .omitted { padding: 6px 12px; color: #6b7385; font-style: italic; font-family: system-ui, sans-serif; }
        """;

    internal static string Render(TraceContexts c, string title, int maxSteps)
    {
        int firstDrawn = Math.Max(0, c.Steps - maxSteps + 1);
        int focus = Math.Max(c.FocusStep, firstDrawn);
        var prefix = c.Rows.Where(r => r.Step >= firstDrawn && r.Step < focus).ToList();
        var rest = c.Rows.Where(r => r.Step >= focus).ToList();

        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<title>")
            .Append(Esc(title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        Header(sb, c, title);

        sb.Append("<main class=\"trace\" style=\"--cols: ").Append(Columns(c, rest)).Append("\">\n");
        Head(sb, c);
        if (firstDrawn > 0)
        {
            sb.Append("<div class=\"omitted\">").Append(Esc($"Steps 0 to {firstDrawn - 1} are not drawn (the page shows the last {maxSteps} steps); read the readable trace or the timeline for them.")).Append("</div>\n");
        }

        int? previousJiffies = null;
        int lastLane = -1;
        if (prefix.Count > 0)
        {
            sb.Append("<details class=\"prefix\"><summary>")
                .Append(Esc($"Steps {prefix[0].Step} to {prefix[^1].Step}{JiffiesRange(prefix)} are folded: the view opens at step {focus}, {c.FocusReason}. Click to show them."))
                .Append("</summary>\n");
            foreach (TraceContexts.Row r in prefix)
            {
                Row(sb, c, r, ref previousJiffies, ref lastLane);
            }

            sb.Append("</details>\n");
            previousJiffies = null;
        }

        foreach (TraceContexts.Row r in rest)
        {
            Row(sb, c, r, ref previousJiffies, ref lastLane);
        }

        sb.Append("</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Header(StringBuilder sb, TraceContexts c, string title)
    {
        sb.Append("<header>\n<h1>").Append(Esc(title)).Append("</h1>\n<p class=\"facts\">");
        var facts = new List<string> { $"{c.Steps} steps" };
        if (c.FirstJiffies is int j0 && c.LastJiffies is int j1)
        {
            facts.Add($"jiffies {j0} to {j1}");
        }

        foreach (TraceContexts.Place p in c.Places)
        {
            facts.Add($"{p.Name}: {string.Join(", ", p.Lanes.Select(l => l.Kind == ContextKind.Task || l.Name.StartsWith('[') ? l.Name : $"{l.Name} ({TraceContexts.KindName(l.Kind)})"))}");
        }

        if (c.Monitors.Count > 0)
        {
            facts.Add($"{(c.Monitors.Count == 1 ? "monitor" : "monitors")} {string.Join(", ", c.Monitors)}");
        }

        sb.Append(Esc(string.Join("; ", facts))).Append("</p>\n");

        if (c.Bug is TraceEvent bug)
        {
            TraceContexts.Row? row = c.Rows.FirstOrDefault(r => r.Step == bug.Step);
            string where = c.BugPlace is { } p ? $", on {p.Name}" : string.Empty;
            string when = row?.Jiffies is int j ? $", jiffies {j}" : string.Empty;
            sb.Append("<div class=\"bug-summary\">").Append(Esc($"BUG at step {bug.Step}{when}{where}: {bug.Detail}"));
            if (c.Trigger is TraceEvent t)
            {
                sb.Append("\n<span class=\"trigger-line\">").Append(Esc($"triggered when {Observed(t)}")).Append("</span>");
            }

            sb.Append("</div>\n");
        }

        int end = c.Bug?.Step ?? c.Steps;
        var live = c.Intervals.Where(i => i.Open || i.End >= end).ToList();
        int others = c.Intervals.Count - live.Count;
        if (c.Intervals.Count > 0)
        {
            sb.Append("<ul class=\"intervals\">\n");
            foreach (TraceContexts.Interval i in live)
            {
                sb.Append("<li class=\"").Append(i.Kind == IntervalKind.Window ? "window" : "hot").Append("\">")
                    .Append(Esc(Describe(c, i, c.Bug is not null))).Append("</li>\n");
            }

            if (others > 0)
            {
                sb.Append("<li>").Append(Esc($"{others} earlier {(others == 1 ? "interval" : "intervals")} of the monitors {(others == 1 ? "is" : "are")} shaded in the rows too.")).Append("</li>\n");
            }

            sb.Append("</ul>\n");
        }

        sb.Append("<div class=\"legend\">");
        foreach (ContextKind k in Enum.GetValues<ContextKind>())
        {
            sb.Append("<span><span class=\"swatch ").Append(TraceContexts.KindName(k)).Append("\" style=\"background: var(--k)\"></span>")
                .Append(TraceContexts.KindName(k)).Append("</span>");
        }

        sb.Append("<span>filled: the context ran the step; pale: current on its CPU while another CPU ran; hatched: interrupted</span>")
            .Append("<span><span class=\"swatch\" style=\"background: #fff3d1; border: 1px solid #e0a000\"></span>a monitor's window open</span>")
            .Append("<span><span class=\"swatch\" style=\"background: #fde4e2; border: 1px solid #e53935\"></span>a monitor hot</span>")
            .Append("<span>thick rule: do_timer(), a new jiffy</span>")
            .Append("<span>grey italics: model steps (actors, messages)</span></div>\n</header>\n");
    }

    private static string Describe(TraceContexts c, TraceContexts.Interval i, bool bug)
    {
        string steps = $"steps {i.Start} to {i.End}";
        int? j0 = c.Rows.FirstOrDefault(r => r.Step == i.Start)?.Jiffies;
        int? j1 = c.Rows.FirstOrDefault(r => r.Step == i.End)?.Jiffies;
        string jiffies = j0 is int a && j1 is int b ? (a == b ? $", jiffies {a}" : $", jiffies {a} to {b}") : string.Empty;
        string end = i.Open ? (bug ? "still open when the bug hit" : "still open at the end") : $"closed: {i.Closed}";
        return i.Kind == IntervalKind.Window
            ? $"{i.Monitor}, window {i.Label} ({steps}{jiffies}): {i.What}; {end}"
            : $"{i.Monitor} hot in {i.Label} ({steps}{jiffies}); {(i.Open ? end : $"left by {i.Closed}")}";
    }

    /// <summary>
    /// The grid: step, jiffies, then per CPU a narrow column per lane and its text, then a column per
    /// monitor. A CPU's text gets a share of the width by how much it says in the rows shown open
    /// (between half and twice an even share), so an idle CPU does not leave half the page empty.
    /// </summary>
    private static string Columns(TraceContexts c, IReadOnlyList<TraceContexts.Row> shown)
    {
        var chars = c.Places.Select(p => shown.Sum(r => r.Items.Where(i => i.Place == p).Sum(i => i.Text.Length + 8))).ToList();
        double even = Math.Max(1, chars.Sum()) / (double)c.Places.Count;
        var cols = new List<string> { "3.4em", "4.2em" };
        for (int i = 0; i < c.Places.Count; i++)
        {
            cols.AddRange(c.Places[i].Lanes.Select(_ => "14px"));
            double share = Math.Clamp(chars[i] / even, 0.5, 2.0);
            cols.Add($"minmax(15em, {share.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture)}fr)");
        }

        cols.AddRange(c.Monitors.Select(_ => "minmax(15em, 0.6fr)"));
        return string.Join(' ', cols);
    }

    private static void Head(StringBuilder sb, TraceContexts c)
    {
        sb.Append("<div class=\"row head\"><div class=\"step\">step</div><div class=\"jif\">jiffies</div>");
        foreach (TraceContexts.Place p in c.Places)
        {
            foreach (TraceContexts.Lane l in p.Lanes)
            {
                sb.Append("<div class=\"lh ").Append(TraceContexts.KindName(l.Kind)).Append("\" data-lane=\"").Append(Esc(l.FullName))
                    .Append("\" title=\"").Append(Esc($"{l.FullName} ({TraceContexts.KindName(l.Kind)})")).Append("\"><span>").Append(Esc(l.Name)).Append("</span></div>");
            }

            sb.Append("<div class=\"ph\" data-place=\"").Append(Esc(p.Name)).Append("\">").Append(Esc(p.Name)).Append("</div>");
        }

        foreach (string m in c.Monitors)
        {
            sb.Append("<div class=\"mh\" data-monitor=\"").Append(Esc(m)).Append("\">").Append(Esc(m)).Append("</div>");
        }

        sb.Append("</div>\n");
    }

    private static void Row(StringBuilder sb, TraceContexts c, TraceContexts.Row r, ref int? previousJiffies, ref int lastLane)
    {
        bool isBug = c.Bug is not null && r.Bug is not null;
        int ranLane = Array.IndexOf(r.Marks, LaneMark.Ran);
        bool switched = ranLane >= 0 && lastLane >= 0 && ranLane != lastLane;
        if (ranLane >= 0)
        {
            lastLane = ranLane;
        }

        sb.Append("<div class=\"row");
        if (r.Tick)
        {
            sb.Append(" tick");
        }

        if (r.Jiffies is int jj && (jj & 1) == 1)
        {
            sb.Append(" jodd");
        }

        if (r.InWindow)
        {
            sb.Append(" window");
        }

        if (r.Hot)
        {
            sb.Append(" hot");
        }

        if (isBug && c.BugPlace is not null)
        {
            sb.Append(" bug");
        }

        sb.Append("\" data-step=\"").Append(r.Step).Append('"');
        if (r.Jiffies is int dj)
        {
            sb.Append(" data-jiffies=\"").Append(dj).Append('"');
        }

        sb.Append("><div class=\"step\"").Append(switched ? " style=\"font-weight: 700; color: #1d2330\"" : string.Empty).Append('>').Append(r.Step).Append("</div>");

        // The jiffies axis: the value where it changes (bold on the do_timer() row), faint elsewhere.
        sb.Append("<div class=\"jif\">");
        if (r.Jiffies is int j && (r.Tick || previousJiffies != j))
        {
            sb.Append(j);
        }

        previousJiffies = r.Jiffies;
        sb.Append("</div>");

        var placeless = r.Items.Where(i => i.Place is null).ToList();
        bool anyPlaced = r.Items.Any(i => i.Place is not null) || (isBug && c.BugPlace is not null);
        if (!anyPlaced && (placeless.Count > 0 || isBug))
        {
            // A step of no CPU (the test body, a liveness bug at the end): one cell across the CPUs.
            int span = c.Places.Sum(p => p.Lanes.Count + 1);
            sb.Append("<div class=\"span\" style=\"grid-column: 3 / ").Append(3 + span).Append("\">");
            Items(sb, placeless);
            if (isBug)
            {
                BugText(sb, c);
            }

            sb.Append("</div>");
        }
        else
        {
            bool first = true;
            foreach (TraceContexts.Place p in c.Places)
            {
                foreach (TraceContexts.Lane l in p.Lanes)
                {
                    LaneMark mark = r.Marks[l.Id];
                    sb.Append("<div class=\"l ").Append(TraceContexts.KindName(l.Kind));
                    sb.Append(mark switch
                    {
                        LaneMark.Ran => " ran",
                        LaneMark.Current => " cur",
                        LaneMark.Interrupted => " intr",
                        _ => string.Empty,
                    });
                    sb.Append("\" title=\"").Append(Esc(Title(l, mark))).Append("\"></div>");
                }

                var mine = r.Items.Where(i => i.Place == p).ToList();
                if (first)
                {
                    mine.AddRange(placeless);
                    first = false;
                }

                sb.Append("<div class=\"text\" data-place=\"").Append(Esc(p.Name)).Append("\">");
                Items(sb, mine);
                if (isBug && c.BugPlace == p)
                {
                    BugText(sb, c);
                }

                sb.Append("</div>");
            }
        }

        foreach (string m in c.Monitors)
        {
            TraceContexts.MonitorCell cell = r.Cell(m);
            sb.Append("<div class=\"mon");
            sb.Append(cell.Temperature switch
            {
                Temperature.Hot => " hot",
                Temperature.Cold => " cold",
                _ => string.Empty,
            });
            if (cell.InWindow)
            {
                sb.Append(" window");
            }

            sb.Append("\" data-monitor=\"").Append(Esc(m)).Append("\" title=\"").Append(Esc($"{m} in {cell.State}")).Append("\">");
            foreach (TraceEvent e in cell.Entries)
            {
                (string cls, string text) = e.Kind switch
                {
                    TraceEventKind.MonitorState => ("change", e.From is null ? $"starts in {e.Detail}{Mark(e.Temperature)}" : $"{e.From} -> {e.Detail}{Mark(e.Temperature)}"),
                    TraceEventKind.WindowOpened => ("opens", $"window {e.Window} opens: {e.Detail}"),
                    TraceEventKind.WindowClosed => ("closes", $"window {e.Window} closes: {e.Detail}"),
                    _ => ("observed", $"observes {Event(e)}"),
                };
                sb.Append("<div class=\"").Append(cls).Append("\">").Append(Esc(text)).Append("</div>");
            }

            sb.Append("</div>");
        }

        sb.Append("</div>\n");

        // A bug of no CPU (a liveness bug at the end of the run) after a step some CPU ran: a band of its own.
        if (isBug && c.BugPlace is null && anyPlaced)
        {
            int columns = 2 + c.Places.Sum(p => p.Lanes.Count + 1) + c.Monitors.Count;
            sb.Append("<div class=\"row bug\" data-bug=\"").Append(r.Step).Append("\"><div class=\"span\" style=\"grid-column: 1 / ").Append(columns + 1).Append("\">");
            BugText(sb, c);
            sb.Append("</div></div>\n");
        }
    }

    private static void Items(StringBuilder sb, List<TraceContexts.Item> items)
    {
        foreach (TraceContexts.Item i in items)
        {
            switch (i.Kind)
            {
                case TraceContexts.ItemKind.Statement:
                    sb.Append("<div class=\"stmt\"><span class=\"ctx ").Append(TraceContexts.KindName(i.Lane!.Kind)).Append("\">").Append(Esc(i.Lane.Name))
                        .Append("</span>").Append(Esc(i.Text)).Append("</div>");
                    break;
                case TraceContexts.ItemKind.Log:
                    sb.Append("<div class=\"log\">").Append(Esc(i.Text)).Append("</div>");
                    break;
                case TraceContexts.ItemKind.Note:
                    sb.Append("<div class=\"note\">").Append(Esc(i.Text)).Append("</div>");
                    break;
                default:
                    sb.Append("<div class=\"model\">").Append(Esc(i.Text)).Append("</div>");
                    break;
            }
        }
    }

    private static void BugText(StringBuilder sb, TraceContexts c)
    {
        if (c.Trigger is TraceEvent t)
        {
            sb.Append("<div class=\"trigger\">").Append(Esc("triggered when ")).Append("<b>").Append(Esc(Observed(t))).Append("</b></div>");
        }

        sb.Append("<div class=\"bug-text\">").Append(Esc($"BUG {c.Bug!.Detail}")).Append("</div>");
    }

    private static string Observed(TraceEvent t) => $"{t.Monitor} observes {Event(t)}";

    private static string Event(TraceEvent e) => e.Args is null ? e.Detail : $"{e.Detail}({e.Args})";

    private static string Title(TraceContexts.Lane l, LaneMark mark) => mark switch
    {
        LaneMark.Ran => $"{l.FullName} runs",
        LaneMark.Current => $"{l.FullName} is current on {l.Place.Name}",
        LaneMark.Interrupted => $"{l.FullName} is interrupted",
        _ => l.FullName,
    };

    private static string JiffiesRange(List<TraceContexts.Row> rows) =>
        rows[0].Jiffies is int a && rows[^1].Jiffies is int b ? (a == b ? $" (jiffies {a})" : $" (jiffies {a} to {b})") : string.Empty;

    private static string Mark(Temperature t) => t switch
    {
        Temperature.Hot => " (hot)",
        Temperature.Cold => " (cold)",
        _ => string.Empty,
    };

    internal static string Esc(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char ch in s)
        {
            switch (ch)
            {
                case '<':
                    sb.Append("&lt;");
                    break;
                case '>':
                    sb.Append("&gt;");
                    break;
                case '&':
                    sb.Append("&amp;");
                    break;
                case '"':
                    sb.Append("&quot;");
                    break;
                default:
                    if (ch >= ' ' || ch == '\n' || ch == '\t')
                    {
                        sb.Append(ch);
                    }

                    break;
            }
        }

        return sb.ToString();
    }
}
