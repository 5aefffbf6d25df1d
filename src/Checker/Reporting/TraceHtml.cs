using System.Globalization;
using System.Text;

namespace Verify;

/// <summary>
/// The readable trace as one self-contained HTML page (inline CSS and SVG, no scripts, no external
/// assets). A kernel model's trace, whose log lines name CPUs and contexts, is drawn by
/// <see cref="ContextHtml"/>; any other has one lane per actor with time flowing down, each send or creation an arrow from the
/// sender's step to the step that consumed it, monitor lanes coloured by temperature with each
/// state change marked, and the bug highlighted. The markup is well-formed XML so tests can parse it.
/// </summary>
internal static class TraceHtml
{
    internal const int DefaultMaxSteps = 2000;

    private const int Gutter = 64;
    private const int LaneWidth = 210;
    private const int BoxWidth = LaneWidth - 26;
    private const int LineHeight = 15;
    private const int RowPad = 8;
    private const int Top = 10;
    private const double CharWidth = 6.7;
    private static readonly int MaxChars = (int)((BoxWidth - 10) / CharWidth);

    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1d2330; background: #fbfbfd; }
        header { padding: 12px 18px 6px 18px; }
        h1 { font-size: 17px; margin: 0 0 4px 0; font-family: ui-monospace, monospace; }
        .facts { font-size: 13px; color: #4a5163; margin: 2px 0; }
        .bug-summary { margin: 8px 0 4px 0; padding: 8px 10px; border-left: 5px solid #c62828; background: #fdecea; font-family: ui-monospace, monospace; font-size: 13px; white-space: pre-wrap; }
        .legend { font-size: 12px; color: #4a5163; margin: 6px 0; }
        .legend span { display: inline-block; margin-right: 14px; }
        .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; vertical-align: -1px; margin-right: 4px; }
        .lanes-head { position: sticky; top: 0; background: #fbfbfd; border-bottom: 1px solid #c9cedb; z-index: 2; }
        svg text { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11px; }
        .lane-name { font-weight: 600; font-size: 12px; }
        .lane line { stroke: #aab2c5; stroke-width: 1.2; }
        .step rect { fill: #ffffff; stroke: #7c8aa8; stroke-width: 1; }
        .step.bug-step rect { stroke: #c62828; stroke-width: 2.5; fill: #fff3f2; }
        .stepno { fill: #6b7385; }
        .stepno.switch { fill: #1d2330; font-weight: 700; }
        .arrow { fill: none; stroke: #2f6fdb; stroke-width: 1.4; }
        .arrow:hover { stroke-width: 3; }
        .arrow.create { stroke: #2e7d32; stroke-dasharray: 5 3; }
        .arrow.pending { stroke-dasharray: 2 3; }
        .arrow.dropped { stroke: #9e9e9e; stroke-dasharray: 2 3; }
        .arrow-label { fill: #2f6fdb; font-size: 10px; }
        .seg.hot { fill: #e53935; fill-opacity: 0.22; }
        .seg.cold { fill: #1e88e5; fill-opacity: 0.18; }
        .seg.warm { fill: #9e9e9e; fill-opacity: 0.15; }
        .monitor-state circle { stroke: #1d2330; stroke-width: 0.8; }
        .monitor-state.hot circle { fill: #e53935; }
        .monitor-state.cold circle { fill: #1e88e5; }
        .monitor-state.warm circle { fill: #bdbdbd; }
        .bug rect { fill: #c62828; fill-opacity: 0.12; stroke: #c62828; stroke-width: 1.5; }
        .bug text { fill: #b71c1c; font-weight: 700; }
        .omitted { fill: #6b7385; font-style: italic; }
        """;

    internal static string Render(IReadOnlyList<TraceEvent> events, string title, int maxSteps = DefaultMaxSteps)
    {
        // A kernel model's trace is drawn by CPU and context; any other by actor.
        TraceContexts contexts = TraceContexts.Build(events);
        if (contexts.HasContexts)
        {
            return ContextHtml.Render(contexts, title, maxSteps);
        }

        TraceLanes lanes = TraceLanes.Build(events);
        int actors = lanes.Actors.Count;
        int width = Gutter + (actors + lanes.Monitors.Count) * LaneWidth + 20;
        int firstStep = Math.Max(0, lanes.Steps - maxSteps + 1);
        var rows = lanes.Rows.Where(r => r.Step == 0 || r.Step >= firstStep).ToList();
        bool omitted = firstStep > 1;

        // Lay out: each entry gets a lane and a line; a row is as tall as its fullest cell.
        var place = new Dictionary<TraceEvent, (int Lane, double Y)>(ReferenceEqualityComparer.Instance);
        var rowTop = new List<(TraceLanes.StepRow Row, double Y, double Height, List<TraceEvent>[] Cells)>();
        double y = Top;
        double gapY = -1;
        double windowY = -1;
        foreach (TraceLanes.StepRow row in rows)
        {
            if (omitted && row.Step >= firstStep && windowY < 0)
            {
                gapY = y;
                y += LineHeight * 2;
                windowY = y;
            }

            var cells = new List<TraceEvent>[actors + lanes.Monitors.Count];
            for (int i = 0; i < cells.Length; i++)
            {
                cells[i] = [];
            }

            foreach (TraceEvent e in row.Events)
            {
                int lane = Lane(lanes, e);
                if (lane >= 0)
                {
                    cells[lane].Add(e);
                }
            }

            // "handles the default event" says only that the handler ran: dropped when the step shows what it did.
            foreach (List<TraceEvent> cell in cells)
            {
                if (cell.Count > 1)
                {
                    cell.RemoveAll(e => e.Kind == TraceEventKind.Default);
                }
            }

            if (cells.All(c => c.Count == 0))
            {
                continue;
            }

            int lines = 1;
            for (int i = 0; i < cells.Length; i++)
            {
                int k = 0;
                foreach (TraceEvent e in cells[i])
                {
                    place[e] = (i, y + (RowPad / 2.0) + (k * LineHeight) + (LineHeight / 2.0));
                    k += i < actors ? Wrap(TraceLanes.Short(e)).Count : 1;
                }

                lines = Math.Max(lines, k);
            }

            double h = (lines * LineHeight) + RowPad;
            rowTop.Add((row, y, h, cells));
            y += h + 4;
        }

        double bugY = y + 6;
        double height = y + (lanes.Bug is not null ? 3 * LineHeight + 16 : 10);

        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<title>")
            .Append(Esc(title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n<header>\n<h1>")
            .Append(Esc(title)).Append("</h1>\n<p class=\"facts\">")
            .Append(Esc($"{lanes.Steps} steps, {lanes.ContextSwitches} context switches, {lanes.Actors.Count(a => a.Number > 0)} actors, {lanes.Monitors.Count} monitors"))
            .Append("</p>\n");
        if (lanes.Bug is not null)
        {
            sb.Append("<div class=\"bug-summary\">BUG at step ").Append(lanes.Bug.Step).Append(": ").Append(Esc(lanes.Bug.Detail)).Append("</div>\n");
        }

        sb.Append("<div class=\"legend\"><span><span class=\"swatch\" style=\"background:#2f6fdb\"></span>event: sender's step to the step that dequeued it</span>")
            .Append("<span><span class=\"swatch\" style=\"background:#2e7d32\"></span>actor creation</span>")
            .Append("<span><span class=\"swatch\" style=\"background:#e53935\"></span>monitor hot</span>")
            .Append("<span><span class=\"swatch\" style=\"background:#1e88e5\"></span>monitor cold</span>")
            .Append("<span><span class=\"swatch\" style=\"background:#bdbdbd\"></span>monitor warm</span>")
            .Append("<span><b>bold</b> step number: context switch</span>")
            .Append("<span>hover for full text</span></div>\n</header>\n");

        // Lane names stay visible while scrolling.
        sb.Append("<div class=\"lanes-head\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(width).Append("\" height=\"26\">\n");
        sb.Append("<text x=\"8\" y=\"17\" class=\"lane-name\">step</text>\n");
        for (int i = 0; i < actors + lanes.Monitors.Count; i++)
        {
            string name = i < actors ? lanes.Actors[i].Name : lanes.Monitors[i - actors];
            sb.Append("<text class=\"lane-name\" text-anchor=\"").Append(i < actors ? "middle" : "start").Append("\" x=\"")
                .Append(F(i < actors ? Center(i) : MonitorX(i) - 8)).Append("\" y=\"17\">")
                .Append(Esc(Clip(name))).Append("<title>").Append(Esc(name)).Append("</title></text>\n");
        }

        sb.Append("</svg></div>\n");
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trace\" width=\"").Append(width).Append("\" height=\"").Append(F(height)).Append("\">\n");
        sb.Append("<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">")
            .Append("<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#2f6fdb\" /></marker>")
            .Append("<marker id=\"head-create\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">")
            .Append("<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#2e7d32\" /></marker></defs>\n");

        // Lanes.
        for (int i = 0; i < actors; i++)
        {
            Lane(sb, "lane", "data-actor", lanes.Actors[i].Name, Center(i), height);
        }

        for (int j = 0; j < lanes.Monitors.Count; j++)
        {
            MonitorLane(sb, lanes.Monitors[j], actors + j, events, place, height, windowY);
        }

        if (omitted)
        {
            sb.Append("<text class=\"omitted\" x=\"").Append(Gutter).Append("\" y=\"").Append(F(gapY + LineHeight))
                .Append("\">").Append(Esc($"steps 1 to {firstStep - 1} are not drawn; run `verify minimize` on the trace, or read the timeline")).Append("</text>\n");
        }

        // Step boxes.
        foreach ((TraceLanes.StepRow row, double top, double h, List<TraceEvent>[] cells) in rowTop)
        {
            sb.Append("<text class=\"stepno").Append(row.Switch ? " switch" : string.Empty).Append("\" x=\"8\" y=\"")
                .Append(F(top + (RowPad / 2.0) + (LineHeight * 0.75))).Append("\">").Append(row.Step).Append("</text>\n");
            for (int i = 0; i < actors; i++)
            {
                if (cells[i].Count == 0)
                {
                    continue;
                }

                bool isBug = lanes.Bug is not null && row.Step == lanes.Bug.Step && (lanes.Bug.ActorNumber == lanes.Actors[i].Number);
                sb.Append("<g class=\"step").Append(isBug ? " bug-step" : string.Empty).Append("\" data-step=\"").Append(row.Step)
                    .Append("\" data-actor=\"").Append(Esc(lanes.Actors[i].Name)).Append("\">");
                sb.Append("<rect x=\"").Append(F(Center(i) - (BoxWidth / 2.0))).Append("\" y=\"").Append(F(top)).Append("\" width=\"").Append(BoxWidth)
                    .Append("\" height=\"").Append(F(h)).Append("\" rx=\"3\" />");
                int k = 0;
                foreach (TraceEvent e in cells[i])
                {
                    foreach (string line in Wrap(TraceLanes.Short(e)))
                    {
                        sb.Append("<text x=\"").Append(F(Center(i) - (BoxWidth / 2.0) + 5)).Append("\" y=\"")
                            .Append(F(top + (RowPad / 2.0) + (k * LineHeight) + (LineHeight * 0.75))).Append("\">").Append(Esc(line))
                            .Append("<title>").Append(Esc($"step {row.Step}: {e.Text.Trim()}")).Append("</title></text>");
                        k++;
                    }
                }

                sb.Append("</g>\n");
            }
        }

        // Arrows, on top of the boxes.
        var consumers = new Dictionary<int, TraceEvent>();
        foreach (TraceEvent e in events)
        {
            if (e.Message > 0 && e.Kind is TraceEventKind.Dequeued or TraceEventKind.Received or TraceEventKind.Ignored or TraceEventKind.Started)
            {
                consumers.TryAdd(e.Message, e);
            }
        }

        foreach (TraceEvent e in events)
        {
            if (e.Message == 0 || e.Kind is not (TraceEventKind.Sent or TraceEventKind.Created) || !place.TryGetValue(e, out var from))
            {
                continue;
            }

            int toLane = lanes.LaneIndex(e.TargetNumber);
            if (toLane < 0)
            {
                continue;
            }

            bool create = e.Kind == TraceEventKind.Created;
            bool dropped = e.Detail.EndsWith("(dropped)", StringComparison.Ordinal);
            string kind = create ? "arrow create" : dropped ? "arrow dropped" : "arrow";
            double toY = from.Y;
            string where = dropped ? "dropped: the receiver had halted" : create ? "never started" : "never dequeued";
            if (consumers.TryGetValue(e.Message, out TraceEvent? c) && place.TryGetValue(c, out var to))
            {
                toY = to.Y;
                where = $"{(create ? "starts" : Verb(c.Kind))} at step {c.Step}";
            }
            else if (!dropped)
            {
                kind += " pending";
            }

            Arrow(sb, kind, from.Lane, from.Y, toLane, toY,
                $"{(create ? "creates " + e.Target : e.Detail + " to " + e.Target)}: sent at step {e.Step}, {where}",
                create ? string.Empty : e.Detail.Replace(" (dropped)", string.Empty, StringComparison.Ordinal));
        }

        if (lanes.Bug is not null)
        {
            sb.Append("<g class=\"bug\" data-step=\"").Append(lanes.Bug.Step).Append("\"><rect x=\"4\" y=\"").Append(F(bugY)).Append("\" width=\"")
                .Append(width - 8).Append("\" height=\"").Append(2 * LineHeight + 8).Append("\" rx=\"4\" />");
            sb.Append("<text x=\"12\" y=\"").Append(F(bugY + LineHeight + 3)).Append("\">")
                .Append(Esc($"BUG at step {lanes.Bug.Step}: {ClipTo(lanes.Bug.Detail, (int)((width - 30) / CharWidth))}"))
                .Append("<title>").Append(Esc(lanes.Bug.Detail)).Append("</title></text></g>\n");
        }

        sb.Append("</svg>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static int Lane(TraceLanes lanes, TraceEvent e)
    {
        switch (e.Kind)
        {
            case TraceEventKind.Bug:
            case TraceEventKind.MonitorObserved:
            case TraceEventKind.WindowOpened:
            case TraceEventKind.WindowClosed:
                return -1;
            case TraceEventKind.MonitorState:
                int j = 0;
                foreach (string m in lanes.Monitors)
                {
                    if (m == e.Monitor)
                    {
                        return lanes.Actors.Count + j;
                    }

                    j++;
                }

                return -1;
            default:
                return lanes.LaneIndex(e.ActorNumber);
        }
    }

    private static void Lane(StringBuilder sb, string cls, string attr, string name, double x, double height) =>
        sb.Append("<g class=\"").Append(cls).Append("\" ").Append(attr).Append("=\"").Append(Esc(name)).Append("\"><line x1=\"")
            .Append(F(x)).Append("\" y1=\"0\" x2=\"").Append(F(x)).Append("\" y2=\"").Append(F(height)).Append("\" /></g>\n");

    private static void MonitorLane(StringBuilder sb, string monitor, int lane, IReadOnlyList<TraceEvent> events,
        Dictionary<TraceEvent, (int Lane, double Y)> place, double height, double windowY)
    {
        var all = events.Where(e => e.Kind == TraceEventKind.MonitorState && e.Monitor == monitor).ToList();
        var changes = all.Where(place.ContainsKey).ToList();
        double x = MonitorX(lane);
        sb.Append("<g class=\"monitor-lane\" data-monitor=\"").Append(Esc(monitor)).Append("\">");

        // The state the monitor was in when the drawn window starts colours the lane down to the next change.
        var segments = changes.Select(e => (e.Temperature, Y: place[e].Y)).ToList();
        TraceEvent? before = all.LastOrDefault(e => !place.ContainsKey(e));
        if (windowY >= 0 && before is not null)
        {
            int at = segments.FindIndex(c => c.Y >= windowY);
            segments.Insert(at < 0 ? segments.Count : at, (before.Temperature, windowY));
        }

        for (int k = 0; k < segments.Count; k++)
        {
            double y0 = segments[k].Y;
            double y1 = k + 1 < segments.Count ? segments[k + 1].Y : height;
            sb.Append("<rect class=\"seg ").Append(Cls(segments[k].Temperature)).Append("\" x=\"").Append(F(x - 7)).Append("\" y=\"").Append(F(y0))
                .Append("\" width=\"14\" height=\"").Append(F(Math.Max(1, y1 - y0))).Append("\" />");
        }

        sb.Append("<line x1=\"").Append(F(x)).Append("\" y1=\"0\" x2=\"").Append(F(x)).Append("\" y2=\"").Append(F(height))
            .Append("\" stroke=\"#aab2c5\" stroke-dasharray=\"3 3\" />\n");
        foreach (TraceEvent e in changes)
        {
            double y = place[e].Y;
            string text = e.From is null ? $"starts in {e.Detail}" : $"{e.From} -> {e.Detail}";
            sb.Append("<g class=\"monitor-state ").Append(Cls(e.Temperature)).Append("\" data-step=\"").Append(e.Step).Append("\"><circle cx=\"")
                .Append(F(x)).Append("\" cy=\"").Append(F(y)).Append("\" r=\"5\" /><text x=\"").Append(F(x + 10)).Append("\" y=\"").Append(F(y + 4)).Append("\">")
                .Append(Esc(ClipTo(text + (e.Temperature == Temperature.Warm ? string.Empty : $" ({Cls(e.Temperature)})"), MaxChars - 2)))
                .Append("<title>").Append(Esc($"step {e.Step}: {e.Text.Trim()}")).Append("</title></text></g>\n");
        }

        sb.Append("</g>\n");
    }

    private static void Arrow(StringBuilder sb, string cls, int fromLane, double y1, int toLane, double y2, string tip, string label)
    {
        double half = BoxWidth / 2.0;
        string path;
        double lx;
        double ly;
        if (fromLane == toLane)
        {
            // A send to oneself loops out to the right of the box.
            double x = Center(fromLane) + half;
            double bend = x + 14;
            path = $"M {F(x)} {F(y1)} C {F(bend)} {F(y1)} {F(bend)} {F(y2 + (y2 > y1 ? 0 : 12))} {F(x)} {F(y2 + (y2 > y1 ? 0 : 12))}";
            lx = bend + 2;
            ly = y1;
        }
        else
        {
            bool right = toLane > fromLane;
            double x1 = Center(fromLane) + (right ? half : -half);
            double x2 = Center(toLane) + (right ? -half : half);
            path = $"M {F(x1)} {F(y1)} L {F(x2)} {F(y2)}";
            lx = x1 + (right ? 4 : -4);
            ly = y1 - 3;
            sb.Append("<text class=\"arrow-label\" text-anchor=\"").Append(right ? "start" : "end").Append("\" x=\"").Append(F(lx)).Append("\" y=\"").Append(F(ly))
                .Append("\">").Append(Esc(ClipTo(label, 22))).Append("</text>");
        }

        string marker = cls.Contains("create", StringComparison.Ordinal) ? "head-create" : "head";
        sb.Append("<path class=\"").Append(cls).Append("\" d=\"").Append(path).Append("\" marker-end=\"url(#").Append(marker).Append(")\"><title>")
            .Append(Esc(tip)).Append("</title></path>\n");
    }

    private static string Verb(TraceEventKind k) => k switch
    {
        TraceEventKind.Received => "received",
        TraceEventKind.Ignored => "ignored",
        _ => "dequeued",
    };

    private static string Cls(Temperature t) => t switch
    {
        Temperature.Hot => "hot",
        Temperature.Cold => "cold",
        _ => "warm",
    };

    private static double Center(int lane) => Gutter + (lane * LaneWidth) + (LaneWidth / 2.0);

    // A monitor lane's bar sits at its left so the state labels have room on the right.
    private static double MonitorX(int lane) => Gutter + (lane * LaneWidth) + 16;

    private static string Clip(string s) => ClipTo(s, MaxChars);

    /// <summary>An entry's lines in a box: wrapped at spaces (or mid-word when a word is longer than the box), the whole text.</summary>
    private static List<string> Wrap(string text)
    {
        var lines = new List<string>(1);
        string rest = text;
        while (rest.Length > MaxChars)
        {
            // Continuation lines start with two blanks; a break must come after them.
            int cut = rest.LastIndexOf(' ', MaxChars);
            if (cut <= (lines.Count == 0 ? 0 : 2))
            {
                cut = MaxChars;
            }

            lines.Add(rest[..cut].TrimEnd());
            rest = "  " + rest[cut..].TrimStart();
        }

        lines.Add(rest);
        return lines;
    }

    private static string ClipTo(string s, int n) => s.Length <= n ? s : s[..Math.Max(1, n - 1)] + "…";

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Esc(string s) => ContextHtml.Esc(s);
}
