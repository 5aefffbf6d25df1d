using System.Text;
using System.Text.Json;

namespace Verify;

/// <summary>
/// The readable trace as Chrome trace-event JSON (the JSON object format), which Perfetto
/// (ui.perfetto.dev) and chrome://tracing open. Time is the step index: one microsecond per step.
/// For a kernel model (<see cref="TraceContexts"/>) each CPU is a process and each of its contexts
/// a thread, with one slice per step in the context that ran it (model steps, such as sends, on the
/// CPU's <c>model</c> thread) and a <c>jiffies</c> counter; for any other model each actor is a thread,
/// with flow arrows from each send to the step that consumed it. Monitors are a process of their own:
/// instant events for what they observe and their state changes, async slices for their windows
/// and hot stretches; the bug is a global instant event. Every slice carries the step, the jiffies
/// (when the trace has a clock) and its full text in its arguments.
/// </summary>
internal static class ChromeTrace
{
    private const int ModelTid = 100_000;
    private const int MonitorTid = 200_000;

    internal static string Render(IReadOnlyList<TraceEvent> events, string title)
    {
        TraceContexts c = TraceContexts.Build(events);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteStartObject("otherData");
            w.WriteString("test", title);
            w.WriteString("time", "1 us per step: ts is the step index");
            w.WriteNumber("steps", c.Steps);
            TraceEvent? bug = events.FirstOrDefault(e => e.Kind == TraceEventKind.Bug);
            if (bug is not null)
            {
                w.WriteString("bug", bug.Detail);
            }

            w.WriteEndObject();
            w.WriteStartArray("traceEvents");
            int monitorsPid;
            (int Pid, int Tid)? bugTrack;
            if (c.HasContexts)
            {
                monitorsPid = Contexts(w, c);
                bugTrack = null;
                if (c.BugPlace is { } p)
                {
                    TraceContexts.Lane? lane = c.Rows.First(r => r.Step == bug!.Step).Items.FirstOrDefault(i => i.Place == p && i.Lane is not null)?.Lane;
                    bugTrack = (p.Index + 1, lane is null ? ModelTid : lane.Id + 1);
                }
            }
            else
            {
                monitorsPid = Actors(w, events, out bugTrack);
            }

            Monitors(w, events, c, monitorsPid);
            if (bug is not null)
            {
                w.WriteStartObject();
                w.WriteString("ph", "i");
                w.WriteString("s", "g");
                w.WriteString("name", $"BUG: {bug.Detail}");
                w.WriteString("cat", "bug");
                w.WriteNumber("ts", bug.Step + 0.9);
                w.WriteNumber("pid", bugTrack?.Pid ?? monitorsPid);
                w.WriteNumber("tid", bugTrack?.Tid ?? MonitorTid);
                w.WriteStartObject("args");
                w.WriteNumber("step", bug.Step);
                w.WriteString("message", bug.Detail);
                if (c.Trigger is TraceEvent t)
                {
                    w.WriteString("trigger", $"{t.Monitor} observes {Observed(t)}");
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>A process per CPU, a thread per context (and one for model steps); returns the monitors' pid.</summary>
    private static int Contexts(Utf8JsonWriter w, TraceContexts c)
    {
        foreach (TraceContexts.Place p in c.Places)
        {
            int pid = p.Index + 1;
            Process(w, pid, p.Name, p.Index);
            foreach (TraceContexts.Lane l in p.Lanes)
            {
                Thread(w, pid, l.Id + 1, l.Name == p.Name ? p.Name : l.Name, l.Id);
            }

            Thread(w, pid, ModelTid, "model", ModelTid);
        }

        int modelPid = c.Places.Count + 1;
        bool placeless = c.Rows.Any(r => r.Items.Any(i => i.Place is null));
        if (placeless)
        {
            Process(w, modelPid, "model (no CPU)", modelPid);
            Thread(w, modelPid, ModelTid, "test and actors", 0);
        }

        int? clockPid = null;
        foreach (TraceContexts.Row r in c.Rows)
        {
            // One slice per context that ran in the step; model entries on their CPU's model thread.
            foreach (IGrouping<(int Pid, int Tid), TraceContexts.Item> g in r.Items.GroupBy(i => (
                Pid: i.Place is null ? modelPid : i.Place.Index + 1,
                Tid: i.Lane is null ? ModelTid : i.Lane.Id + 1)))
            {
                TraceContexts.Item first = g.First();
                string cat = first.Lane is { } lane ? TraceContexts.KindName(lane.Kind) : "model";
                Slice(w, g.Key.Pid, g.Key.Tid, r.Step, first.Text, cat, r.Jiffies, g.Select(i => i.Text), first.Place?.Name, first.Lane?.Name);
            }

            if (r.Tick && r.Jiffies is int j)
            {
                int pid = r.Items.First(i => i.Lane is not null && i.Text.StartsWith("jiffies", StringComparison.Ordinal)).Place!.Index + 1;
                if (clockPid is null && c.FirstJiffies is int j0)
                {
                    Counter(w, pid, 0, j0);
                }

                clockPid = pid;
                Counter(w, pid, r.Step, j);
            }
        }

        return c.Places.Count + 2;
    }

    /// <summary>A thread per actor with a slice per step, and flows from sends to the steps that consumed them; returns the monitors' pid.</summary>
    private static int Actors(Utf8JsonWriter w, IReadOnlyList<TraceEvent> events, out (int Pid, int Tid)? bugTrack)
    {
        TraceLanes lanes = TraceLanes.Build(events);
        Process(w, 1, "actors", 0);
        foreach (TraceLanes.Lane a in lanes.Actors)
        {
            Thread(w, 1, Tid(a.Number), a.Name, (int)Math.Min(a.Number, int.MaxValue - 1));
        }

        bugTrack = null;
        var sent = new Dictionary<int, string>();
        foreach (TraceLanes.StepRow row in lanes.Rows)
        {
            foreach (IGrouping<long, TraceEvent> g in row.Events
                .Where(e => e.Monitor is null && e.Kind is not (TraceEventKind.Bug or TraceEventKind.Default))
                .GroupBy(e => e.ActorNumber))
            {
                TraceEvent first = g.First();
                var texts = g.Select(TraceLanes.Short).ToList();
                Slice(w, 1, Tid(g.Key), row.Step, texts[0], "actor", null, texts, null, first.Actor ?? TraceLanes.TestLane);
                foreach (TraceEvent e in g)
                {
                    if (e.Message > 0 && e.Kind is TraceEventKind.Sent or TraceEventKind.Created)
                    {
                        string name = e.Kind == TraceEventKind.Created ? $"creates {e.Target}" : $"{e.Detail} to {e.Target}";
                        sent[e.Message] = name;
                        Flow(w, "s", e.Message, name, 1, Tid(g.Key), row.Step);
                    }
                    else if (e.Message > 0 && sent.TryGetValue(e.Message, out string? name))
                    {
                        Flow(w, "f", e.Message, name, 1, Tid(g.Key), row.Step);
                    }
                }
            }

            if (row.Events.FirstOrDefault(e => e.Kind == TraceEventKind.Bug) is { } bug && bug.Actor is not null)
            {
                bugTrack = (1, Tid(bug.ActorNumber));
            }
        }

        return 2;
    }

    private static void Monitors(Utf8JsonWriter w, IReadOnlyList<TraceEvent> events, TraceContexts c, int pid)
    {
        if (c.Monitors.Count == 0)
        {
            return;
        }

        Process(w, pid, "monitors", pid);
        var tids = new Dictionary<string, int>();
        foreach (string m in c.Monitors)
        {
            tids[m] = MonitorTid + tids.Count;
            Thread(w, pid, tids[m], m, tids[m]);
        }

        foreach (TraceEvent e in events)
        {
            if (e.Monitor is null || !tids.TryGetValue(e.Monitor, out int tid))
            {
                continue;
            }

            (string? name, string cat) = e.Kind switch
            {
                TraceEventKind.MonitorState => (e.From is null ? $"starts in {e.Detail}{Mark(e.Temperature)}" : $"{e.From} -> {e.Detail}{Mark(e.Temperature)}", "monitor state"),
                TraceEventKind.MonitorObserved => ($"observes {Observed(e)}", "monitor observes"),
                TraceEventKind.WindowOpened => ($"window {e.Window} opens: {e.Detail}", "monitor window"),
                TraceEventKind.WindowClosed => ($"window {e.Window} closes: {e.Detail}", "monitor window"),
                _ => ((string?)null, string.Empty),
            };
            if (name is null)
            {
                continue;
            }

            w.WriteStartObject();
            w.WriteString("ph", "i");
            w.WriteString("s", "t");
            w.WriteString("name", name);
            w.WriteString("cat", cat);
            w.WriteNumber("ts", e.Step + 0.5);
            w.WriteNumber("pid", pid);
            w.WriteNumber("tid", tid);
            w.WriteStartObject("args");
            w.WriteNumber("step", e.Step);
            w.WriteString("text", e.Text.Trim());
            w.WriteEndObject();
            w.WriteEndObject();
        }

        // Windows and hot stretches: async slices, one track each.
        int id = 1;
        foreach (TraceContexts.Interval i in c.Intervals)
        {
            string name = i.Kind == IntervalKind.Window ? $"{i.Monitor} window {i.Label}" : $"{i.Monitor} hot in {i.Label}";
            string cat = i.Kind == IntervalKind.Window ? "window" : "hot";
            w.WriteStartObject();
            w.WriteString("ph", "b");
            w.WriteString("cat", cat);
            w.WriteString("name", name);
            w.WriteNumber("id", id);
            w.WriteNumber("ts", i.Start);
            w.WriteNumber("pid", pid);
            w.WriteNumber("tid", tids[i.Monitor]);
            w.WriteStartObject("args");
            w.WriteNumber("from step", i.Start);
            w.WriteNumber("to step", i.End);
            w.WriteString("what", i.What);
            w.WriteString("end", i.Open ? "still open at the end of the run" : i.Closed ?? string.Empty);
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject();
            w.WriteString("ph", "e");
            w.WriteString("cat", cat);
            w.WriteString("name", name);
            w.WriteNumber("id", id);
            w.WriteNumber("ts", i.End + 1);
            w.WriteNumber("pid", pid);
            w.WriteNumber("tid", tids[i.Monitor]);
            w.WriteEndObject();
            id++;
        }
    }

    private static void Slice(Utf8JsonWriter w, int pid, int tid, int step, string name, string cat, int? jiffies, IEnumerable<string> lines, string? cpu, string? context)
    {
        w.WriteStartObject();
        w.WriteString("ph", "X");
        w.WriteString("name", name);
        w.WriteString("cat", cat);
        w.WriteNumber("ts", step);
        w.WriteNumber("dur", 1);
        w.WriteNumber("pid", pid);
        w.WriteNumber("tid", tid);
        w.WriteStartObject("args");
        w.WriteNumber("step", step);
        if (jiffies is int j)
        {
            w.WriteNumber("jiffies", j);
        }

        if (cpu is not null)
        {
            w.WriteString("cpu", cpu);
        }

        if (context is not null)
        {
            w.WriteString("context", context);
        }

        w.WriteString("text", string.Join("\n", lines));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Flow(Utf8JsonWriter w, string ph, int id, string name, int pid, int tid, int step)
    {
        w.WriteStartObject();
        w.WriteString("ph", ph);
        w.WriteString("cat", "message");
        w.WriteString("name", name);
        w.WriteNumber("id", id);
        w.WriteNumber("ts", step + 0.5);
        w.WriteNumber("pid", pid);
        w.WriteNumber("tid", tid);
        if (ph == "f")
        {
            w.WriteString("bp", "e");
        }

        w.WriteEndObject();
    }

    private static void Counter(Utf8JsonWriter w, int pid, int step, int jiffies)
    {
        w.WriteStartObject();
        w.WriteString("ph", "C");
        w.WriteString("name", "jiffies");
        w.WriteNumber("ts", step);
        w.WriteNumber("pid", pid);
        w.WriteNumber("tid", 0);
        w.WriteStartObject("args");
        w.WriteNumber("jiffies", jiffies);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Process(Utf8JsonWriter w, int pid, string name, int sort)
    {
        Metadata(w, "process_name", pid, 0, "name", name);
        Metadata(w, "process_sort_index", pid, 0, "sort_index", sort);
    }

    private static void Thread(Utf8JsonWriter w, int pid, int tid, string name, int sort)
    {
        Metadata(w, "thread_name", pid, tid, "name", name);
        Metadata(w, "thread_sort_index", pid, tid, "sort_index", sort);
    }

    private static void Metadata(Utf8JsonWriter w, string what, int pid, int tid, string key, object value)
    {
        w.WriteStartObject();
        w.WriteString("ph", "M");
        w.WriteString("name", what);
        w.WriteNumber("ts", 0);
        w.WriteNumber("pid", pid);
        w.WriteNumber("tid", tid);
        w.WriteStartObject("args");
        if (value is int n)
        {
            w.WriteNumber(key, n);
        }
        else
        {
            w.WriteString(key, (string)value);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>A thread id for an actor: its number, shifted past 0 (the test body's lane is 0, and tid 0 is the process's own).</summary>
    private static int Tid(long actor) => (int)Math.Min(actor + 1, ModelTid - 1);

    private static string Observed(TraceEvent e) => e.Args is null ? e.Detail : $"{e.Detail}({e.Args})";

    private static string Mark(Temperature t) => t switch
    {
        Temperature.Hot => " (hot)",
        Temperature.Cold => " (cold)",
        _ => string.Empty,
    };
}
