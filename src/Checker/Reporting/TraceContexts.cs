using System.Globalization;
using System.Text.RegularExpressions;

namespace Verify;

/// <summary>What runs in a context lane, in the order lanes are drawn within a CPU.</summary>
internal enum ContextKind : byte
{
    Task,
    Kthread,
    Idle,
    Softirq,
    Irq,
}

/// <summary>How a lane looks in a step: what ran there, or what stayed current on its CPU.</summary>
internal enum LaneMark : byte
{
    None,

    /// <summary>A statement of this context ran in the step.</summary>
    Ran,

    /// <summary>This context is the CPU's current one, but another CPU ran the step.</summary>
    Current,

    /// <summary>A task or kthread an interrupt or softirq is running on top of.</summary>
    Interrupted,
}

/// <summary>What kind of monitor interval a view shades.</summary>
internal enum IntervalKind : byte
{
    /// <summary>A window the monitor opened with <c>OpenWindow</c>.</summary>
    Window,

    /// <summary>A stretch of steps the monitor spent in hot states.</summary>
    Hot,
}

/// <summary>
/// The layout of the kernel-shaped views (the HTML page and the Chrome trace events): lanes per CPU
/// and context instead of per actor. It reads the log lines the kernel models write for every
/// statement, <c>cpuN &lt;context&gt;: &lt;statement&gt;</c> (the context is the running task's comm, such
/// as <c>vcpu0</c>, <c>rcuc/0</c> or <c>swapper/0</c>, or <c>[irq]</c> for an interrupt handler) and
/// <c>hk &lt;context&gt;: ...</c> for the housekeeping CPU (<c>hk1</c>, <c>hk2</c>, ... for further ones), whose <c>hk do_timer: jiffies = N</c> lines
/// give the clock. A statement of <c>__do_softirq</c> runs in the CPU's softirq lane. Each actor that
/// logs such lines belongs to that CPU, and its other entries (sends, state changes) are shown there
/// as model steps; entries of actors that log none (the test body) belong to no CPU. A trace without
/// such lines has no contexts (<see cref="HasContexts"/>), and the views fall back to one lane per
/// actor; the monitors' windows and hot stretches (<see cref="Intervals"/>) are read either way.
/// </summary>
internal sealed partial class TraceContexts
{
    /// <summary>Steps drawn before the first that matters, so the story leading to it is on the first screen with it.</summary>
    private const int LeadIn = 8;

    /// <summary>Fewer steps than this before the part that matters are not folded.</summary>
    private const int MinFold = 10;

    /// <summary>Without a window or hot interval, the last steps before the bug are the ones that matter.</summary>
    private const int Tail = 24;

    private TraceContexts()
    {
    }

    internal IReadOnlyList<Place> Places { get; private set; } = [];

    internal IReadOnlyList<Row> Rows { get; private set; } = [];

    internal IReadOnlyList<string> Monitors { get; private set; } = [];

    internal IReadOnlyList<Interval> Intervals { get; private set; } = [];

    internal TraceEvent? Bug { get; private set; }

    /// <summary>The monitor observation that made the bug: the one the bug directly follows in its step; null when the step did other things in between (a liveness bug at the end of the run).</summary>
    internal TraceEvent? Trigger { get; private set; }

    /// <summary>The CPU whose step hit the bug; null for a bug of no CPU (a liveness bug at the end of the run).</summary>
    internal Place? BugPlace { get; private set; }

    /// <summary>True when some log line named a CPU (<c>cpuN</c> or <c>hk</c>): the kernel-shaped views apply.</summary>
    internal bool HasContexts => Places.Count > 0;

    /// <summary>The first step of the part of the trace that matters; the views fold the steps before it.</summary>
    internal int FocusStep { get; private set; }

    /// <summary>Why <see cref="FocusStep"/> is where it is, for the page's folded summary ("shortly before X's window cpu0 opens at step 83").</summary>
    internal string FocusReason { get; private set; } = string.Empty;

    internal int Steps => Rows.Count == 0 ? 0 : Rows[^1].Step;

    /// <summary>Jiffies before the first step, if the trace has a clock.</summary>
    internal int? FirstJiffies { get; private set; }

    internal int? LastJiffies => Rows.Count == 0 ? FirstJiffies : Rows[^1].Jiffies;

    internal IEnumerable<Lane> Lanes => Places.SelectMany(p => p.Lanes);

    internal static TraceContexts Build(IReadOnlyList<TraceEvent> events)
    {
        var c = new TraceContexts();
        var places = new Dictionary<string, Place>();
        var actorPlace = new Dictionary<long, Place>();
        var monitors = new List<string>();

        // First pass: the CPUs, their lanes, which actor is which CPU, the monitors.
        foreach (TraceEvent e in events)
        {
            if (e.Monitor is not null && e.Kind != TraceEventKind.Bug)
            {
                if (!monitors.Contains(e.Monitor))
                {
                    monitors.Add(e.Monitor);
                }

                continue;
            }

            if (e.Kind != TraceEventKind.ModelLog || Parse(e.Detail) is not { } line)
            {
                continue;
            }

            if (!places.TryGetValue(line.Place, out Place? place))
            {
                places[line.Place] = place = new Place(line.Place);
            }

            if (e.Actor is not null)
            {
                actorPlace.TryAdd(e.ActorNumber, place);
            }

            if (line.Context is string context)
            {
                place.LaneFor(context, line.Kind);
            }
        }

        c.Monitors = monitors;
        var ordered = places.Values.OrderBy(p => p.SortKey.Rank).ThenBy(p => p.SortKey.Number).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        int id = 0;
        for (int i = 0; i < ordered.Count; i++)
        {
            ordered[i].Index = i;
            ordered[i].Seal(ref id);
        }

        c.Places = ordered;
        c.Layout(events, actorPlace);
        return c;
    }

    /// <summary>A kernel-style log line: the CPU, the context (null for a line of the CPU's own, such as the memory model's), and the statement.</summary>
    internal static (string Place, string? Context, ContextKind Kind, string Text)? Parse(string line)
    {
        Match m = StatementLine().Match(line);
        if (m.Success)
        {
            string place = m.Groups["place"].Value;
            string context = m.Groups["ctx"].Success ? m.Groups["ctx"].Value : place;
            string text = m.Groups["text"].Value;
            if (text.StartsWith("__do_softirq", StringComparison.Ordinal))
            {
                return (place, "softirq", ContextKind.Softirq, text);
            }

            return (place, context, Classify(context), text);
        }

        m = PlaceLine().Match(line);
        return m.Success ? (m.Groups["place"].Value, null, ContextKind.Task, m.Groups["text"].Value) : null;
    }

    /// <summary>What kind of context a comm or bracketed name is.</summary>
    internal static ContextKind Classify(string context)
    {
        if (context.StartsWith('['))
        {
            return context == "[softirq]" ? ContextKind.Softirq : ContextKind.Irq;
        }

        // The housekeeping CPU's tick: do_timer() runs in its timer interrupt.
        if (context == "do_timer")
        {
            return ContextKind.Irq;
        }

        if (context.StartsWith("swapper", StringComparison.Ordinal) || context == "idle")
        {
            return ContextKind.Idle;
        }

        // Per-CPU kthreads (rcuc/0, migration/0, ksoftirqd/0, kworker/0:1, irq/30-eth0) and the RCU grace-period kthreads.
        bool kthread = context.Contains('/')
            || context.StartsWith("rcu_", StringComparison.Ordinal)
            || context.StartsWith("kworker", StringComparison.Ordinal)
            || context == "kthreadd";
        return kthread ? ContextKind.Kthread : ContextKind.Task;
    }

    internal static string KindName(ContextKind k) => k switch
    {
        ContextKind.Task => "task",
        ContextKind.Kthread => "kthread",
        ContextKind.Idle => "idle",
        ContextKind.Softirq => "softirq",
        _ => "irq",
    };

    private void Layout(IReadOnlyList<TraceEvent> events, Dictionary<long, Place> actorPlace)
    {
        var rows = new List<Row>();
        var intervals = new List<Interval>();
        var current = new Lane?[Places.Count];
        var task = new Lane?[Places.Count];
        var softirq = new Lane?[Places.Count];
        var temperature = Monitors.ToDictionary(m => m, _ => Temperature.Warm);
        var state = Monitors.ToDictionary(m => m, _ => string.Empty);
        var hotSince = new Dictionary<string, (int Step, string State)>();
        var open = new Dictionary<(string Monitor, string Key), Interval>();
        int? jiffies = null;
        TraceEvent? lastObserved = null;

        foreach (IGrouping<int, TraceEvent> g in events.GroupBy(e => e.Step))
        {
            var row = new Row(g.Key, Places);
            var windowBefore = open.Keys.Select(k => k.Monitor).ToHashSet();
            bool hotBefore = hotSince.Count > 0;
            foreach (TraceEvent e in g)
            {
                // The trigger is the observation the bug follows directly; a step's own entries in between (a liveness bug at the end) mean none.
                if (e.Monitor is null && e.Kind is not (TraceEventKind.Bug or TraceEventKind.Default))
                {
                    lastObserved = null;
                }

                switch (e.Kind)
                {
                    case TraceEventKind.Default:
                        break;
                    case TraceEventKind.Bug:
                        Bug ??= e;
                        row.Bug = e;
                        Trigger = lastObserved is not null && lastObserved.Step == e.Step ? lastObserved : null;
                        BugPlace = e.Actor is not null && actorPlace.TryGetValue(e.ActorNumber, out Place? bp) ? bp : null;
                        break;
                    case TraceEventKind.MonitorObserved:
                        lastObserved = e;
                        row.Cell(e.Monitor!).Entries.Add(e);
                        break;
                    case TraceEventKind.MonitorState:
                        row.Cell(e.Monitor!).Entries.Add(e);
                        state[e.Monitor!] = e.Detail;
                        temperature[e.Monitor!] = e.Temperature;
                        if (e.Temperature == Temperature.Hot)
                        {
                            hotSince.TryAdd(e.Monitor!, (e.Step, e.Detail));
                        }
                        else if (hotSince.Remove(e.Monitor!, out (int Step, string State) h))
                        {
                            intervals.Add(new Interval(e.Monitor!, IntervalKind.Hot, h.State, h.Step, e.Step, false, $"hot in {h.State}", $"{e.From} -> {e.Detail}"));
                        }

                        break;
                    case TraceEventKind.WindowOpened:
                        row.Cell(e.Monitor!).Entries.Add(e);
                        if (!open.ContainsKey((e.Monitor!, e.Window!)))
                        {
                            open[(e.Monitor!, e.Window!)] = new Interval(e.Monitor!, IntervalKind.Window, e.Window!, e.Step, -1, true, e.Detail, null);
                        }

                        break;
                    case TraceEventKind.WindowClosed:
                        row.Cell(e.Monitor!).Entries.Add(e);
                        if (open.Remove((e.Monitor!, e.Window!), out Interval? w))
                        {
                            intervals.Add(w with { End = e.Step, Open = false, Closed = e.Detail });
                        }

                        break;
                    case TraceEventKind.ModelLog:
                        Statement(row, e, actorPlace, ref jiffies);
                        break;
                    default:
                        Place? p = e.Actor is not null && actorPlace.TryGetValue(e.ActorNumber, out Place? ap) ? ap : null;
                        row.Items.Add(new Item(e, p, null, e.Text.Trim(), ItemKind.Model));
                        break;
                }
            }

            // A bug raised inside a statement stops the step before the statement's line is logged:
            // say so on the CPU that ran it, naming its current context.
            if (row.Bug is not null && BugPlace is { } bugPlace && !row.Items.Any(it => it.Place == bugPlace && it.Kind == ItemKind.Statement))
            {
                Lane? cur = bugPlace.HasCurrent ? current[bugPlace.Index] : null;
                string text = $"the bug stopped this step of {bugPlace.Name} inside a statement, before its line was logged"
                    + (cur is null ? string.Empty : $"; {cur.Name} was the context current on {bugPlace.Name}");
                row.Items.Add(new Item(row.Bug, bugPlace, cur, text, ItemKind.Note));
            }

            // A step that only ran a handler (no statement, no send) still shows that it ran.
            if (row.Items.Count == 0 && g.FirstOrDefault(e => e.Kind == TraceEventKind.Default) is { } handled)
            {
                Place? p = handled.Actor is not null && actorPlace.TryGetValue(handled.ActorNumber, out Place? hp) ? hp : null;
                row.Items.Add(new Item(handled, p, null, handled.Text.Trim(), ItemKind.Model));
            }

            // Which context is current on each CPU, and which task an interrupt runs on top of.
            for (int i = 0; i < Places.Count; i++)
            {
                Lane? ran = null;
                foreach (Item item in row.Items)
                {
                    if (item.Lane is { } lane && lane.Place.Index == i)
                    {
                        row.Marks[lane.Id] = LaneMark.Ran;
                        ran = lane;
                    }
                }

                if (ran is null)
                {
                    // A CPU with a current task keeps it while others run; the housekeeping CPU runs its kthreads to their sleep.
                    if (current[i] is { } cur && Places[i].HasCurrent)
                    {
                        row.Marks[cur.Id] = LaneMark.Current;
                    }
                }
                else
                {
                    current[i] = ran;
                    if (ran.Kind is ContextKind.Task or ContextKind.Kthread or ContextKind.Idle)
                    {
                        task[i] = ran;
                        softirq[i] = null;
                    }
                    else if (ran.Kind == ContextKind.Softirq)
                    {
                        softirq[i] = ran;
                    }
                }

                // Under an interrupt: the softirq it interrupted, if one was running, and the task under both.
                if (Places[i].HasCurrent && current[i] is { Kind: ContextKind.Irq or ContextKind.Softirq } top)
                {
                    foreach (Lane? under in (Lane?[])[top.Kind == ContextKind.Irq ? softirq[i] : null, task[i]])
                    {
                        if (under is not null && row.Marks[under.Id] == LaneMark.None)
                        {
                            row.Marks[under.Id] = LaneMark.Interrupted;
                        }
                    }
                }

                // The return from the interrupt (or the housekeeping tick, one step long): the task is current again.
                if (ran is { Kind: ContextKind.Irq } && (!ran.Name.StartsWith('[') || row.Items.Any(it => it.Lane == ran && it.Text.StartsWith("irqentry_exit", StringComparison.Ordinal))))
                {
                    current[i] = softirq[i] ?? task[i];
                }
            }

            row.Jiffies = jiffies;
            row.Hot = hotBefore || hotSince.Count > 0;
            foreach (string m in Monitors)
            {
                MonitorCell cell = row.Cell(m);
                cell.State = state[m];
                cell.Temperature = temperature[m];
                cell.InWindow = windowBefore.Contains(m) || open.Keys.Any(k => k.Monitor == m)
                    || cell.Entries.Any(x => x.Kind is TraceEventKind.WindowOpened or TraceEventKind.WindowClosed);
                row.InWindow |= cell.InWindow;
            }

            rows.Add(row);
        }

        int last = rows.Count == 0 ? 0 : rows[^1].Step;
        foreach (Interval w in open.Values)
        {
            intervals.Add(w with { End = last });
        }

        foreach ((string monitor, (int step, string s)) in hotSince)
        {
            intervals.Add(new Interval(monitor, IntervalKind.Hot, s, step, last, true, $"hot in {s}", null));
        }

        Rows = rows;
        Intervals = intervals.OrderBy(i => i.Start).ThenBy(i => i.Monitor, StringComparer.Ordinal).ToList();

        // Before the first do_timer() the clock stood one jiffy earlier.
        FirstJiffies = rows.FirstOrDefault(r => r.Tick)?.Jiffies - 1;
        foreach (Row r in rows.TakeWhile(r => r.Jiffies is null))
        {
            r.Jiffies = FirstJiffies;
        }

        Focus();
    }

    private void Statement(Row row, TraceEvent e, Dictionary<long, Place> actorPlace, ref int? jiffies)
    {
        if (Parse(e.Detail) is not { } line)
        {
            Place? p = e.Actor is not null && actorPlace.TryGetValue(e.ActorNumber, out Place? ap) ? ap : null;
            row.Items.Add(new Item(e, p, null, e.Detail, ItemKind.Log));
            return;
        }

        Place place = Places.First(p => p.Name == line.Place);
        if (line.Context is null)
        {
            row.Items.Add(new Item(e, place, null, line.Text, ItemKind.Log));
            return;
        }

        Lane lane = place.Lanes.First(l => l.Name == line.Context);
        row.Items.Add(new Item(e, place, lane, line.Text, ItemKind.Statement));
        Match clock = Clock().Match(line.Text);
        if (clock.Success && int.TryParse(clock.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int j))
        {
            jiffies = j;
            row.Tick = true;
        }
    }

    /// <summary>
    /// Where the part that matters begins: <see cref="LeadIn"/> steps before the window or hot
    /// interval still open at the bug (or at the end) that began first; without one, the last
    /// <see cref="Tail"/> steps.
    /// </summary>
    private void Focus()
    {
        int end = Bug?.Step ?? Steps;
        Interval? anchor = Intervals
            .Where(i => i.Start <= end && (i.Open || i.End >= end))
            .OrderBy(i => i.Start)
            .FirstOrDefault();
        int start;
        if (anchor is null)
        {
            start = Math.Max(0, end - Tail);
            FocusReason = Bug is null ? $"{Tail} steps before the end" : $"{Tail} steps before the bug";
        }
        else
        {
            start = Math.Max(0, anchor.Start - LeadIn);
            FocusReason = anchor.Kind == IntervalKind.Window
                ? $"shortly before {anchor.Monitor}'s window {anchor.Label} opens at step {anchor.Start}"
                : $"shortly before {anchor.Monitor} turns hot at step {anchor.Start}";
        }

        // Folding a handful of steps saves no room.
        FocusStep = start < MinFold ? 0 : start;
    }

    // A comm may hold a colon (kworker/0:1): the context is the shortest word that ": " follows.
    [GeneratedRegex(@"^(?<place>cpu[0-9]+|hk[0-9]*)(?: (?<ctx>\[[^\]\s]+\]|[^\s\[\]]+?))?: (?<text>.*)$", RegexOptions.Singleline)]
    private static partial Regex StatementLine();

    [GeneratedRegex(@"^(?<place>cpu[0-9]+|hk[0-9]*) (?<text>.*)$", RegexOptions.Singleline)]
    private static partial Regex PlaceLine();

    [GeneratedRegex(@"^jiffies = ([0-9]+)$")]
    private static partial Regex Clock();

    /// <summary>A CPU (<c>cpu0</c>, or <c>hk</c> for the housekeeping CPU) with its context lanes in drawing order.</summary>
    internal sealed class Place(string name)
    {
        private readonly List<Lane> lanes = [];

        internal string Name { get; } = name;

        internal int Index { get; set; }

        internal IReadOnlyList<Lane> Lanes => lanes;

        /// <summary>A modelled CPU (<c>cpuN</c>) always has a current task; the housekeeping CPU's kthreads run until they sleep.</summary>
        internal bool HasCurrent => SortKey.Rank == 0;

        /// <summary>CPUs by number, then the housekeeping CPUs (<c>hk</c>, then <c>hk1</c>, <c>hk2</c>, ...).</summary>
        internal (int Rank, int Number) SortKey =>
            Name.StartsWith("cpu", StringComparison.Ordinal) && int.TryParse(Name.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
                ? (0, n)
                : (1, int.TryParse(Name.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int h) ? h : 0);

        internal void LaneFor(string context, ContextKind kind)
        {
            if (!lanes.Any(l => l.Name == context))
            {
                lanes.Add(new Lane(this, context, kind));
            }
        }

        /// <summary>Orders the lanes (process contexts, then softirq, then interrupts; each by first appearance) and numbers them.</summary>
        internal void Seal(ref int id)
        {
            List<Lane> sorted = lanes.Select((l, i) => (l, i)).OrderBy(x => x.l.Kind).ThenBy(x => x.i).Select(x => x.l).ToList();
            lanes.Clear();
            lanes.AddRange(sorted);
            foreach (Lane l in lanes)
            {
                l.Id = id++;
            }
        }
    }

    /// <summary>One context of a CPU: a task's comm, <c>[irq]</c>, <c>softirq</c>; <see cref="Id"/> numbers it among all lanes.</summary>
    internal sealed class Lane(Place place, string name, ContextKind kind)
    {
        internal Place Place { get; } = place;

        internal string Name { get; } = name;

        internal ContextKind Kind { get; } = kind;

        internal int Id { get; set; }

        internal string FullName => Name == Place.Name ? Name : $"{Place.Name} {Name}";
    }

    internal enum ItemKind : byte
    {
        /// <summary>A statement run in a context lane.</summary>
        Statement,

        /// <summary>A model log line of a CPU outside its contexts (the memory model's), or of no CPU.</summary>
        Log,

        /// <summary>An actor-level entry: a send, a state change, a random choice.</summary>
        Model,

        /// <summary>What the view infers for a step whose statement the bug cut short (its lane, if any, is the CPU's current context).</summary>
        Note,
    }

    /// <summary>One thing a step did: on a CPU (or none, <see cref="Place"/> null), in a lane when it ran in a context.</summary>
    internal sealed record Item(TraceEvent Event, Place? Place, Lane? Lane, string Text, ItemKind Kind);

    /// <summary>A monitor's entries in a step, and its state after it.</summary>
    internal sealed class MonitorCell
    {
        internal List<TraceEvent> Entries { get; } = [];

        internal string State { get; set; } = string.Empty;

        internal Temperature Temperature { get; set; }

        internal bool InWindow { get; set; }
    }

    /// <summary>One step: what it did, how each lane looks, the clock after it, the monitors.</summary>
    internal sealed class Row
    {
        private readonly Dictionary<string, MonitorCell> cells = [];

        internal Row(int step, IReadOnlyList<Place> places)
        {
            Step = step;
            Marks = new LaneMark[places.Sum(p => p.Lanes.Count)];
        }

        internal int Step { get; }

        internal List<Item> Items { get; } = [];

        /// <summary>Indexed by <see cref="Lane.Id"/>.</summary>
        internal LaneMark[] Marks { get; }

        /// <summary>Jiffies after the step, if the trace has a clock.</summary>
        internal int? Jiffies { get; set; }

        /// <summary>The step advanced the clock (a do_timer line).</summary>
        internal bool Tick { get; set; }

        /// <summary>Some monitor window was open during the step.</summary>
        internal bool InWindow { get; set; }

        /// <summary>Some monitor was hot during the step.</summary>
        internal bool Hot { get; set; }

        internal TraceEvent? Bug { get; set; }

        internal MonitorCell Cell(string monitor)
        {
            if (!cells.TryGetValue(monitor, out MonitorCell? c))
            {
                cells[monitor] = c = new MonitorCell();
            }

            return c;
        }
    }

    /// <summary>
    /// A window or hot stretch of a monitor, from step <see cref="Start"/> to <see cref="End"/>
    /// (inclusive); <see cref="Open"/>: still open when the run ended.
    /// </summary>
    internal sealed record Interval(string Monitor, IntervalKind Kind, string Label, int Start, int End, bool Open, string What, string? Closed);
}
