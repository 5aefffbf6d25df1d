using Verify;
using Xunit;

namespace Checker.Tests.Reporting;

/// <summary>A trace in which no actor ever ran (the test method failed first) still draws as a timeline.</summary>
public sealed class TimelineWithoutActorsTests
{
    [Fact]
    public void ATraceWithOnlyItsBug_WiderThanThePage_DrawsAsAMap()
    {
        string bug = "Hang: Step 0 did not return: the test method. " + new string('x', 200);
        TraceEvent[] events = [new TraceEvent(0, TraceEventKind.Bug, null, 0, bug, "BUG " + bug)];

        string timeline = TraceTimeline.Render(events, "no actors");

        Assert.Contains("0 steps, 0 context switches, 0 actors, 0 monitors.", timeline);
        Assert.Contains($"    0  BUG {bug}", timeline);
    }
}
