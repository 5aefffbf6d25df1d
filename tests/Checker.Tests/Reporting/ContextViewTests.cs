using System.Text.Json;
using System.Xml.Linq;
using Checker.Tests.Fixtures;
using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.Reporting;

/// <summary>
/// The kernel-shaped views (<see cref="TraceContexts"/>, the HTML page by CPU and context, the Chrome
/// trace events) on a small model that logs the way the kernel models do, and their fallback to
/// actors for a model that does not.
/// </summary>
public sealed class ContextViewTests
{
    // One line per step of the scripted CPU; a non-null event is what the monitor observes after the line.
    private static readonly (string Line, Monitor.Event? Observed)[] Script =
    [
        ("cpu0 worker: start()", null),
        ("cpu0 [irq]: irqentry_enter()", null),
        ("hk do_timer: jiffies = 11", null),
        ("cpu0 [irq]: irqentry_exit", null),
        ("cpu0 worker: __do_softirq: net_rx_action (1/1)", null),
        ("cpu0 swapper/0: do_idle()", new Opened()),
        ("cpu0 rcuc/0: rcu_core(): a statement long enough that no lane of any reasonable width could show it on one line, kept whole", new Boom()),
    ];

    private static TestingEngine Scripted() => Explore.Once(r =>
    {
        r.RegisterMonitor<Deadline>();
        r.CreateActor(typeof(ScriptedCpu));
    });

    [Fact]
    public void Parse_ReadsTheKernelLogConvention_AndClassifiesContexts()
    {
        Assert.Equal(("cpu0", "vcpu0", ContextKind.Task, "vcpu_enter_guest: local_irq_enable()"), TraceContexts.Parse("cpu0 vcpu0: vcpu_enter_guest: local_irq_enable()"));
        Assert.Equal(("cpu12", "[irq]", ContextKind.Irq, "irqentry_exit"), TraceContexts.Parse("cpu12 [irq]: irqentry_exit"));
        Assert.Equal(("cpu0", "softirq", ContextKind.Softirq, "__do_softirq: net_rx_action (2/3)"), TraceContexts.Parse("cpu0 vcpu0: __do_softirq: net_rx_action (2/3)"));
        Assert.Equal(("hk", "do_timer", ContextKind.Irq, "jiffies = 101"), TraceContexts.Parse("hk do_timer: jiffies = 101"));
        Assert.Equal(ContextKind.Kthread, TraceContexts.Parse("cpu1 rcuc/1: rcu_core()")!.Value.Kind);
        Assert.Equal(ContextKind.Kthread, TraceContexts.Parse("cpu0 irq/30-eth0: handler")!.Value.Kind);
        Assert.Equal(("cpu1", "kworker/1:1", ContextKind.Kthread, "process_one_work: lru_add_drain_per_cpu()"), TraceContexts.Parse("cpu1 kworker/1:1: process_one_work: lru_add_drain_per_cpu()"));
        Assert.Equal(ContextKind.Kthread, TraceContexts.Parse("hk rcu_sched: rcu_gp_init()")!.Value.Kind);
        Assert.Equal(("hk1", "drainer", ContextKind.Task, "mutex_lock(lock)"), TraceContexts.Parse("hk1 drainer: mutex_lock(lock)"));
        Assert.Equal(ContextKind.Idle, TraceContexts.Parse("cpu1 swapper/1: do_idle()")!.Value.Kind);

        // The memory model's lines name a CPU but no context; other text names neither.
        Assert.Equal(("cpu0", (string?)null, ContextKind.Task, "load x = 3: store #1 of x"), TraceContexts.Parse("cpu0 load x = 3: store #1 of x"));
        Assert.Null(TraceContexts.Parse("server got: 5"));
        Assert.Null(TraceContexts.Parse("<KmemLeak> obj's count reached zero"));
    }

    [Fact]
    public void Layout_HasLanesPerCpuAndContext_TheClock_TheWindow_AndTheTrigger()
    {
        TestingEngine engine = Scripted();
        TraceContexts c = TraceContexts.Build(engine.TraceEvents);
        Assert.True(c.HasContexts);

        // Process contexts first, then softirq, then interrupts; the housekeeping CPU after the CPUs.
        Assert.Equal(["cpu0 worker", "cpu0 rcuc/0", "cpu0 swapper/0", "cpu0 softirq", "cpu0 [irq]", "hk do_timer"], c.Lanes.Select(l => l.FullName));
        Assert.Equal(10, c.FirstJiffies);
        Assert.Equal(11, c.LastJiffies);

        TraceContexts.Lane Lane(string name) => c.Lanes.Single(l => l.FullName == name);
        TraceContexts.Row Row(string text) => c.Rows.Single(r => r.Items.Any(i => i.Text == text));

        // The interrupt runs on top of the worker, which stays interrupted while the other CPU ticks.
        TraceContexts.Row enter = Row("irqentry_enter()");
        Assert.Equal(LaneMark.Ran, enter.Marks[Lane("cpu0 [irq]").Id]);
        Assert.Equal(LaneMark.Interrupted, enter.Marks[Lane("cpu0 worker").Id]);
        TraceContexts.Row tick = Row("jiffies = 11");
        Assert.True(tick.Tick);
        Assert.Equal(11, tick.Jiffies);
        Assert.Equal(LaneMark.Current, tick.Marks[Lane("cpu0 [irq]").Id]);
        Assert.Equal(LaneMark.Interrupted, tick.Marks[Lane("cpu0 worker").Id]);
        Assert.Equal(LaneMark.Ran, Row("__do_softirq: net_rx_action (1/1)").Marks[Lane("cpu0 softirq").Id]);

        // The window opened at the idle step is open at the bug, which the observation of Boom triggered.
        TraceContexts.Interval window = Assert.Single(c.Intervals);
        Assert.Equal(("Deadline", IntervalKind.Window, "cpu0", true), (window.Monitor, window.Kind, window.Label, window.Open));
        Assert.Equal(Row("do_idle()").Step, window.Start);
        Assert.Equal(c.Bug!.Step, window.End);
        Assert.Equal("Boom", c.Trigger!.Detail);
        Assert.Equal("cpu0", c.BugPlace!.Name);
        Assert.All(c.Rows, r => Assert.Equal(r.Step >= window.Start, r.InWindow));
    }

    [Fact]
    public void Html_DrawsCpusAndContexts_WithTheWholeText_AndTheBugStep()
    {
        TestingEngine engine = Scripted();
        string html = TraceHtml.Render(engine.TraceEvents, "scripted");
        XDocument doc = XDocument.Parse(html);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("handles the default event", html, StringComparison.Ordinal);

        Assert.Equal(["cpu0 worker", "cpu0 rcuc/0", "cpu0 swapper/0", "cpu0 softirq", "cpu0 [irq]", "hk do_timer"],
            WithClass(doc, "lh").Select(e => (string)e.Attribute("data-lane")!));
        Assert.Equal(["cpu0", "hk"], WithClass(doc, "ph").Select(e => e.Value));

        // Every statement whole, in its CPU's column.
        foreach ((string line, _) in Script)
        {
            var parsed = TraceContexts.Parse(line)!.Value;
            Assert.Contains(WithClass(doc, "text"), t => (string?)t.Attribute("data-place") == parsed.Place && t.Value.Contains(parsed.Text, StringComparison.Ordinal));
        }

        XElement bug = Assert.Single(WithClass(doc, "bug"));
        Assert.Equal(engine.TestReport.Bug!.Step.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)bug.Attribute("data-step"));
        Assert.Contains("triggered when Deadline observes Boom", bug.Value, StringComparison.Ordinal);
        Assert.Contains("BUG Assertion: the deadline passed", bug.Value, StringComparison.Ordinal);

        // Shaded from the idle step that opened the window: it, the step that sends the next event, the bug step.
        Assert.Equal(3, WithClass(doc, "window").Count(e => e.Name.LocalName == "div" && ((string)e.Attribute("class")!).StartsWith("row", StringComparison.Ordinal)));
        Assert.Single(WithClass(doc, "tick"));
    }

    [Fact]
    public void Html_FoldsThePrefix_BeforeTheWindowThatMatters()
    {
        // Thirty quiet steps, then the window and the bug: the quiet ones are folded.
        TestingEngine engine = Explore.Once(r =>
        {
            r.RegisterMonitor<Deadline>();
            r.CreateActor(typeof(ScriptedCpu), new Padding(30));
        });
        XDocument doc = XDocument.Parse(TraceHtml.Render(engine.TraceEvents, "padded"));
        XElement details = doc.Descendants().Single(e => e.Name.LocalName == "details");
        TraceContexts c = TraceContexts.Build(engine.TraceEvents);
        int opens = c.Intervals.Single().Start;
        var folded = details.Descendants().Where(e => e.Attribute("data-step") is not null).Select(e => (int)e.Attribute("data-step")!).ToList();
        Assert.Equal(0, folded.Min());
        Assert.Equal(c.FocusStep - 1, folded.Max());
        Assert.InRange(opens - c.FocusStep, 1, 48);
        Assert.Contains($"the view opens at step {c.FocusStep}, shortly before Deadline's window cpu0 opens at step {opens}", details.Elements().First().Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_WithoutKernelLogLines_KeepsTheActorLanes()
    {
        TestingEngine engine = Explore.With("random", OrderViolation.Test(hops: 1), iterations: 500, seed: 5);
        Assert.False(TraceContexts.Build(engine.TraceEvents).HasContexts);
        Assert.Contains("<g class=\"lane\" data-actor=\"Consumer(1)\">", TraceHtml.Render(engine.TraceEvents, "order violation"), StringComparison.Ordinal);
    }

    [Fact]
    public void ChromeTrace_HasAThreadPerContext_ASlicePerStep_TheClock_TheWindow_AndTheBug()
    {
        TestingEngine engine = Scripted();
        using JsonDocument json = JsonDocument.Parse(ChromeTrace.Render(engine.TraceEvents, "scripted"));
        JsonElement[] events = [.. json.RootElement.GetProperty("traceEvents").EnumerateArray()];
        Assert.All(events, e =>
        {
            Assert.Contains(e.GetProperty("ph").GetString(), (string[])["M", "X", "i", "C", "b", "e", "s", "f"]);
            Assert.Equal(JsonValueKind.Number, e.GetProperty("pid").ValueKind);
            Assert.Equal(JsonValueKind.Number, e.GetProperty("tid").ValueKind);
            Assert.Equal(JsonValueKind.Number, e.GetProperty("ts").ValueKind);
        });

        static string Name(JsonElement e) => e.GetProperty("args").GetProperty("name").GetString()!;
        Assert.Equal(["cpu0", "hk", "model (no CPU)", "monitors"], events.Where(e => Is(e, "M") && e.GetProperty("name").GetString() == "process_name").Select(Name));
        Assert.Equal(["worker", "rcuc/0", "swapper/0", "softirq", "[irq]", "model", "do_timer", "model", "test and actors", "Deadline"],
            events.Where(e => Is(e, "M") && e.GetProperty("name").GetString() == "thread_name").Select(Name));

        // Each step has a slice of one microsecond at its index; slices of one thread never overlap.
        var slices = events.Where(e => Is(e, "X")).ToList();
        int steps = engine.TraceEvents.Max(e => e.Step);
        Assert.Equal(Enumerable.Range(0, steps + 1), slices.Select(s => s.GetProperty("ts").GetInt32()).Distinct().Order());
        Assert.All(slices, s => Assert.Equal(1, s.GetProperty("dur").GetInt32()));
        Assert.All(slices.GroupBy(s => (s.GetProperty("pid").GetInt32(), s.GetProperty("tid").GetInt32())),
            g => Assert.Equal(g.Count(), g.Select(s => s.GetProperty("ts").GetInt32()).Distinct().Count()));
        JsonElement longest = slices.Single(s => s.GetProperty("name").GetString()!.StartsWith("rcu_core()", StringComparison.Ordinal));
        Assert.Equal(Script[^1].Line["cpu0 rcuc/0: ".Length..], longest.GetProperty("args").GetProperty("text").GetString());

        Assert.Equal([10, 11], events.Where(e => Is(e, "C")).Select(e => e.GetProperty("args").GetProperty("jiffies").GetInt32()));
        Assert.Equal(11, longest.GetProperty("args").GetProperty("jiffies").GetInt32());

        JsonElement begin = events.Single(e => Is(e, "b"));
        JsonElement end = events.Single(e => Is(e, "e"));
        Assert.Equal("Deadline window cpu0", begin.GetProperty("name").GetString());
        Assert.Equal(begin.GetProperty("id").GetInt32(), end.GetProperty("id").GetInt32());
        Assert.True(end.GetProperty("ts").GetDouble() > begin.GetProperty("ts").GetDouble());

        JsonElement bug = events.Single(e => Is(e, "i") && e.GetProperty("s").GetString() == "g");
        Assert.Equal(engine.TestReport.Bug!.Step, bug.GetProperty("args").GetProperty("step").GetInt32());
        Assert.Equal("Deadline observes Boom", bug.GetProperty("args").GetProperty("trigger").GetString());
        Assert.Contains(events, e => Is(e, "i") && e.GetProperty("name").GetString()!.StartsWith("window cpu0 opens", StringComparison.Ordinal));
    }

    [Fact]
    public void ChromeTrace_OfAnActorModel_HasAThreadPerActor_AndAFlowPerDeliveredMessage()
    {
        TestingEngine engine = Explore.With("random", OrderViolation.Test(hops: 1), iterations: 500, seed: 5);
        using JsonDocument json = JsonDocument.Parse(ChromeTrace.Render(engine.TraceEvents, "order violation"));
        JsonElement[] events = [.. json.RootElement.GetProperty("traceEvents").EnumerateArray()];
        Assert.Equal(["test", "Consumer(1)", "Initializer(2)", "User(3)"],
            events.Where(e => Is(e, "M") && e.GetProperty("name").GetString() == "thread_name").Select(e => e.GetProperty("args").GetProperty("name").GetString()));
        var starts = events.Where(e => Is(e, "s")).Select(e => e.GetProperty("id").GetInt32()).ToHashSet();
        var finishes = events.Where(e => Is(e, "f")).Select(e => e.GetProperty("id").GetInt32()).ToList();
        int consumed = engine.TraceEvents.Count(e => e.Message > 0 && e.Kind is TraceEventKind.Dequeued or TraceEventKind.Started or TraceEventKind.Received or TraceEventKind.Ignored);
        Assert.Equal(consumed, finishes.Count);
        Assert.All(finishes, id => Assert.Contains(id, starts));
        Assert.Single(events, e => Is(e, "i") && e.GetProperty("s").GetString() == "g");
    }

    [Fact]
    public void Windows_AreRecorded_OnlyInALoggedRun()
    {
        // The campaign's runs are not logged; the replay that builds the readable trace is.
        TestingEngine engine = Scripted();
        Assert.Contains("  monitor Deadline: window cpu0 opens: idle since step 6", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains(engine.TraceEvents, e => e.Kind == TraceEventKind.MonitorObserved && e.Detail == "Opened" && e.Args == "At=6, Cpu=cpu0");
    }

    private static bool Is(JsonElement e, string ph) => e.GetProperty("ph").GetString() == ph;

    private static IEnumerable<XElement> WithClass(XDocument doc, string cls) =>
        doc.Descendants().Where(e => ((string?)e.Attribute("class") ?? string.Empty).Split(' ').Contains(cls));

    internal sealed class Padding(int steps) : Event
    {
        public int Steps { get; } = steps;
    }

    internal sealed class Next : Event
    {
    }

    internal sealed class Opened : Monitor.Event
    {
        public int At { get; init; } = 6;

        public string Cpu { get; init; } = "cpu0";
    }

    internal sealed class Boom : Monitor.Event
    {
    }

    internal sealed class Deadline : Monitor
    {
        [Start]
        [OnEventDoAction(typeof(Opened), nameof(OnOpened))]
        [OnEventDoAction(typeof(Boom), nameof(OnBoom))]
        private sealed class Watching : State
        {
        }

        private void OnOpened(Event e) => OpenWindow("cpu0", "idle since step {0}", ((Opened)e).At);

        private void OnBoom() => Assert(false, "the deadline passed");
    }

    /// <summary>Logs <see cref="Script"/> one line per step (after <see cref="Padding"/> quiet steps), notifying the monitor where the script says.</summary>
    [OnEventDoAction(typeof(Next), nameof(OnNext))]
    internal sealed class ScriptedCpu : Actor
    {
        private int padding;
        private int at;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            padding = (initialEvent as Padding)?.Steps ?? 0;
            SendEvent(Id, new Next());
            return Task.CompletedTask;
        }

        private void OnNext()
        {
            if (padding > 0)
            {
                padding--;
                Logger.WriteLine("cpu0 worker: cpu_relax()");
            }
            else
            {
                (string line, Monitor.Event? observed) = Script[at++];
                Logger.WriteLine(line);
                if (observed is not null)
                {
                    Monitor<Deadline>(observed);
                }
            }

            SendEvent(Id, new Next());
        }
    }
}
