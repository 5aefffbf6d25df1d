namespace Verify;

/// <summary>
/// The layout shared by the timeline and HTML views: one lane per actor (plus the test body when it
/// did something, and one per monitor), and the entries grouped by step.
/// </summary>
internal sealed class TraceLanes
{
    internal const string TestLane = "test";

    private TraceLanes(List<Lane> actors, List<string> monitors, List<StepRow> rows, TraceEvent? bug)
    {
        Actors = actors;
        Monitors = monitors;
        Rows = rows;
        Bug = bug;
    }

    /// <summary>Actor lanes in creation order; the test body's lane (number 0) first if it did anything.</summary>
    internal IReadOnlyList<Lane> Actors { get; }

    internal IReadOnlyList<string> Monitors { get; }

    internal IReadOnlyList<StepRow> Rows { get; }

    internal TraceEvent? Bug { get; }

    /// <summary>Steps (from 1 on) whose actor differs from the previous step's.</summary>
    internal int ContextSwitches => Rows.Count(r => r.Switch);

    internal int Steps => Rows.Count == 0 ? 0 : Rows[^1].Step;

    internal int LaneIndex(long number)
    {
        for (int i = 0; i < Actors.Count; i++)
        {
            if (Actors[i].Number == number)
            {
                return i;
            }
        }

        return -1;
    }

    internal static TraceLanes Build(IReadOnlyList<TraceEvent> events)
    {
        var names = new SortedDictionary<long, string>();
        var monitors = new List<string>();
        foreach (TraceEvent e in events)
        {
            if (e.Kind == TraceEventKind.MonitorObserved || e.IsMonitorMark)
            {
                if (!monitors.Contains(e.Monitor!))
                {
                    monitors.Add(e.Monitor!);
                }

                continue;
            }

            if (e.Kind == TraceEventKind.Bug)
            {
                continue;
            }

            names.TryAdd(e.ActorNumber, e.Actor ?? TestLane);
            if (e.Kind == TraceEventKind.Created && e.Target is not null)
            {
                names.TryAdd(e.TargetNumber, e.Target);
            }
        }

        var rows = new List<StepRow>();
        long previous = -1;
        TraceEvent? bug = null;
        foreach (IGrouping<int, TraceEvent> g in events.GroupBy(e => e.Step))
        {
            var list = g.ToList();
            bug ??= list.FirstOrDefault(e => e.Kind == TraceEventKind.Bug);
            TraceEvent? first = list.FirstOrDefault(e => e.Monitor is null && e.Kind != TraceEventKind.Bug);
            long runner = g.Key == 0 ? 0 : first?.ActorNumber ?? -1;
            bool change = g.Key > 0 && previous > 0 && runner > 0 && runner != previous;
            if (runner > 0)
            {
                previous = runner;
            }

            rows.Add(new StepRow(g.Key, runner, change, list));
        }

        return new TraceLanes(names.Select(kv => new Lane(kv.Key, kv.Value)).ToList(), monitors, rows, bug);
    }

    internal sealed record Lane(long Number, string Name);

    /// <summary>The entries of one step; <see cref="Runner"/> is the actor that ran it (0: the test body, -1: none).</summary>
    internal sealed record StepRow(int Step, long Runner, bool Switch, IReadOnlyList<TraceEvent> Events);

    /// <summary>A short description of an entry for a lane cell: the lane already says who.</summary>
    internal static string Short(TraceEvent e) => e.Kind switch
    {
        TraceEventKind.Created => $"creates {e.Target}",
        TraceEventKind.Started => "starts",
        TraceEventKind.Sent => $"sends {e.Detail} to {e.Target}",
        TraceEventKind.Dequeued => e.Target is null ? $"dequeues {e.Detail}" : $"dequeues {e.Detail} from {e.Target}",
        TraceEventKind.Default => "handles the default event",
        TraceEventKind.Ignored => $"ignores {e.Detail}",
        TraceEventKind.Received => $"receives {e.Detail}",
        TraceEventKind.Waiting => $"waits for {e.Detail}",
        TraceEventKind.Halted => "halts",
        TraceEventKind.Entered => $"enters {e.Detail}",
        TraceEventKind.Goto => $"{e.From} -> {e.Detail}",
        TraceEventKind.Pushed => $"pushes {e.Detail}",
        TraceEventKind.Popped => $"pops {e.From}, back in {e.Detail}",
        TraceEventKind.Random => $"chooses {e.Detail}",
        TraceEventKind.ModelLog => $"log: {e.Detail}",
        TraceEventKind.MonitorObserved => $"{e.Monitor} observes {e.Detail}",
        TraceEventKind.MonitorState => e.From is null
            ? $"{e.Monitor} starts in {e.Detail}{Mark(e.Temperature)}"
            : $"{e.Monitor}: {e.From} -> {e.Detail}{Mark(e.Temperature)}",
        TraceEventKind.WindowOpened => $"{e.Monitor}: window {e.Window} opens: {e.Detail}",
        TraceEventKind.WindowClosed => $"{e.Monitor}: window {e.Window} closes: {e.Detail}",
        TraceEventKind.Bug => $"BUG {e.Detail}",
        _ => e.Detail,
    };

    private static string Mark(Temperature t) => t switch
    {
        Temperature.Hot => " (hot)",
        Temperature.Cold => " (cold)",
        _ => string.Empty,
    };
}
