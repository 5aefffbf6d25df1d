using System.Xml.Linq;
using Checker.Tests.Fixtures;
using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.Reporting;

/// <summary>The typed readable trace, and the timeline and HTML views drawn from it.</summary>
public sealed class TraceViewTests
{
    private static TestingEngine OrderViolationBug() => Explore.With("random", OrderViolation.Test(hops: 1), iterations: 500, seed: 5);

    private static XElement Svg(string html)
    {
        // The page is well-formed XML by design, so tests can count its elements.
        XDocument doc = XDocument.Parse(html);
        return doc.Descendants().Single(e => e.Name.LocalName == "svg" && (string?)e.Attribute("class") == "trace");
    }

    private static IEnumerable<XElement> WithClass(XElement root, string name, string cls) =>
        root.Descendants().Where(e => e.Name.LocalName == name && ((string?)e.Attribute("class") ?? string.Empty).Split(' ').Contains(cls));

    [Fact]
    public void Events_AreTheReadableLines_Typed()
    {
        TestingEngine engine = OrderViolationBug();
        string[] lines = engine.ReadableTrace.TrimEnd('\n').Split('\n');
        Assert.Equal(lines.Length, engine.TraceEvents.Count);
        for (int i = 0; i < lines.Length; i++)
        {
            Assert.Equal($"[{engine.TraceEvents[i].Step,5}] {engine.TraceEvents[i].Text}", lines[i]);
        }

        // Each delivered send is linked to the dequeue that consumed it.
        foreach (TraceEvent sent in engine.TraceEvents.Where(e => e.Kind == TraceEventKind.Sent))
        {
            TraceEvent? consumed = engine.TraceEvents.SingleOrDefault(e => e.Kind == TraceEventKind.Dequeued && e.Message == sent.Message);
            if (consumed is not null)
            {
                Assert.Equal(sent.TargetNumber, consumed.ActorNumber);
                Assert.True(consumed.Step > sent.Step);
            }
        }
    }

    [Fact]
    public void Html_HasALanePerActor_AnArrowPerSendOrCreation_AndMarksTheBug()
    {
        TestingEngine engine = OrderViolationBug();
        IReadOnlyList<TraceEvent> events = engine.TraceEvents;
        XElement svg = Svg(TraceHtml.Render(events, "order violation"));

        // The test body's lane, then Consumer(1), Initializer(2), User(3).
        Assert.Equal(["test", "Consumer(1)", "Initializer(2)", "User(3)"], WithClass(svg, "g", "lane").Select(g => (string)g.Attribute("data-actor")!));
        int messages = events.Count(e => e.Kind is TraceEventKind.Sent or TraceEventKind.Created);
        Assert.Equal(messages, WithClass(svg, "path", "arrow").Count());
        int consumed = events.Count(e => e.Kind is TraceEventKind.Dequeued or TraceEventKind.Started && e.Message > 0);
        Assert.Equal(consumed, WithClass(svg, "path", "arrow").Count(p => !((string)p.Attribute("class")!).Contains("pending", StringComparison.Ordinal)));

        TraceEvent bug = events.Single(e => e.Kind == TraceEventKind.Bug);
        XElement marker = Assert.Single(WithClass(svg, "g", "bug"));
        Assert.Equal(bug.Step.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)marker.Attribute("data-step"));
        XElement step = Assert.Single(WithClass(svg, "g", "bug-step"));
        Assert.Equal("Consumer(1)", (string?)step.Attribute("data-actor"));
        Assert.Contains(OrderViolation.Message, marker.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_MarksMonitorStateChanges_ByTemperature()
    {
        TestingEngine engine = Explore.With("random", UnansweredRequest.Test(livelock: false), iterations: 200, seed: 2);
        XElement svg = Svg(TraceHtml.Render(engine.TraceEvents, "forgotten request"));
        XElement lane = Assert.Single(WithClass(svg, "g", "monitor-lane"));
        Assert.Equal("ResponseLiveness", (string?)lane.Attribute("data-monitor"));

        // Starts cold in Idle, turns hot in Waiting and stays there: the bug.
        Assert.Equal(["cold", "hot"], WithClass(svg, "g", "monitor-state").Select(g => ((string)g.Attribute("class")!).Split(' ')[1]));
        Assert.Equal(2, WithClass(svg, "rect", "seg").Count());
    }

    [Fact]
    public void Html_IsSelfContained_AndEscapesModelText()
    {
        TestingEngine engine = Explore.Once(r => r.CreateActor(typeof(Shouter)));
        Assert.NotEmpty(engine.TraceEvents);
        string html = TraceHtml.Render(engine.TraceEvents, "a <title> & more");
        XDocument.Parse(html);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("url(http", html, StringComparison.Ordinal);
        Assert.Contains("log: &lt;b&gt; &amp; &quot;quoted&quot;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_DrawsOnlyTheLastSteps_OfALongTrace()
    {
        TestingEngine engine = OrderViolationBug();
        int steps = engine.TraceEvents.Max(e => e.Step);
        XElement svg = Svg(TraceHtml.Render(engine.TraceEvents, "order violation", maxSteps: 2));
        var drawn = WithClass(svg, "g", "step").Select(g => int.Parse((string)g.Attribute("data-step")!, System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
        Assert.Equal([0, steps - 1, steps], drawn);
        Assert.Single(WithClass(svg, "text", "omitted"));
    }

    [Fact]
    public void Timeline_HasAColumnPerActor_AndMarksEachContextSwitch()
    {
        TestingEngine engine = OrderViolationBug();
        string timeline = TraceTimeline.Render(engine.TraceEvents, "order violation");
        string[] lines = timeline.Split('\n');
        string header = lines.Single(l => l.StartsWith(" step ", StringComparison.Ordinal));
        Assert.Equal(["test", "Consumer(1)", "Initializer(2)", "User(3)"], header.Split('|').Skip(1).Select(c => c.Trim()));

        var lanes = TraceLanesOf(engine);
        Assert.Contains($"{lanes.Steps} steps, {lanes.ContextSwitches} context switches, 3 actors, 0 monitors.", timeline, StringComparison.Ordinal);
        Assert.Equal(lanes.ContextSwitches, lines.Count(l => l.Length > 5 && l[5] == '*'));
        Assert.EndsWith($"BUG Assertion: {OrderViolation.Message}\n", timeline, StringComparison.Ordinal);
    }

    [Fact]
    public void Timeline_TooWideForColumns_BecomesAMap()
    {
        TestingEngine engine = OrderViolationBug();
        string map = TraceTimeline.Render(engine.TraceEvents, "order violation", maxWidth: 40);
        Assert.Contains("Actors: t test; 1 Consumer(1); 2 Initializer(2); 3 User(3)", map, StringComparison.Ordinal);
        Assert.Contains("       t123  what happened\n", map, StringComparison.Ordinal);

        // Step 0: the test body ran and created the three actors.
        Assert.Contains("    0  #ooo  test: creates Consumer(1); creates Initializer(2); creates User(3)\n", map, StringComparison.Ordinal);
    }

    private static TraceLanes TraceLanesOf(TestingEngine engine) => TraceLanes.Build(engine.TraceEvents);

    private sealed class Shouter : Actor
    {
        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            Logger.WriteLine("<b> & \"quoted\"");
            Assert(false, "shouted");
            return Task.CompletedTask;
        }
    }
}
