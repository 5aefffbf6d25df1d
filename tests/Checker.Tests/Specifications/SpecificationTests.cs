using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.Specifications;

public sealed class SpecificationTests
{
    [Fact]
    public void SpecificationAssert_InAHandler_IsAnAssertionBug()
    {
        TestReport report = Explore.Once(r =>
        {
            ActorId id = r.CreateActor(typeof(Auditor));
            r.SendEvent(id, new Numbered("audit", 7));
        }).TestReport;

        Assert.Equal(BugKind.Assertion, report.Bug?.Kind);
        Assert.Equal("audit 7 failed", report.Bug!.Message);
        Assert.Equal("Auditor(1)", report.Bug.Actor);
        Assert.Equal(2, report.Bug.Step);
    }

    [Fact]
    public void SpecificationAssert_ThatHolds_IsNotABug()
    {
        TestReport report = Explore.Once(r =>
        {
            ActorId id = r.CreateActor(typeof(Auditor));
            r.SendEvent(id, new Numbered("audit", 8));
        }).TestReport;

        Assert.Null(report.Bug);
    }

    [Fact]
    public void SpecificationMonitor_FromAHandler_StepsTheRegisteredMonitor()
    {
        // The auditor reports every audit to the monitor through Specification.Monitor; the
        // monitor was registered through Specification.RegisterMonitor in the test body.
        TestReport report = Explore.Once(r =>
        {
            Specification.RegisterMonitor<AuditLimit>();
            ActorId id = r.CreateActor(typeof(Auditor));
            r.SendEvent(id, new Numbered("audit", 2));
            r.SendEvent(id, new Numbered("audit", 4));
            r.SendEvent(id, new Numbered("audit", 6));
        }).TestReport;

        Assert.Equal(BugKind.Assertion, report.Bug?.Kind);
        Assert.Equal("more than 2 audits", report.Bug!.Message);
    }

    [Fact]
    public void SpecificationAssert_OutsideAnIteration_SaysItNeedsARunningTest()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Specification.Assert(false, "never"));
        Assert.Equal("Specification calls need a running Verify test iteration.", ex.Message);
    }

    [Fact]
    public void SpecificationAssert_InTheTestBody_IsAnAssertionBug()
    {
        TestReport report = Explore.Once(_ => Specification.Assert(false)).TestReport;

        Assert.Equal(BugKind.Assertion, report.Bug?.Kind);
        Assert.Equal("Detected an assertion failure.", report.Bug!.Message);
    }

    private sealed class Audited : Monitor.Event
    {
    }

    [OnEventDoAction(typeof(Numbered), nameof(OnAudit))]
    private sealed class Auditor : Actor
    {
        private void OnAudit(Event e)
        {
            int seq = ((Numbered)e).Seq;
            Specification.Monitor<AuditLimit>(new Audited());
            Specification.Assert(seq % 2 == 0, "audit {0} failed", seq);
        }
    }

    private sealed class AuditLimit : Monitor
    {
        private int audits;

        [Start]
        [OnEventDoAction(typeof(Audited), nameof(OnAudited))]
        private sealed class Counting : State
        {
        }

        private void OnAudited()
        {
            audits++;
            Assert(audits <= 2, "more than 2 audits");
        }
    }
}
