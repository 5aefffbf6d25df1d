using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.Actors;

public sealed class ActorIdTests
{
    [Fact]
    public void ActorIds_FollowCreationOrder_AndCarryTheirNames()
    {
        var ids = new List<ActorId>();
        Explore.Once(r =>
        {
            ids.Add(r.CreateActor(typeof(Listener)));
            ids.Add(r.CreateActor(typeof(Listener), "Primary"));
            ids.Add(r.CreateActorId(typeof(Listener), "Reserved"));
        });

        Assert.Equal([1L, 2L, 3L], ids.Select(id => id.Value));
        Assert.Equal(["Listener(1)", "Primary", "Reserved"], ids.Select(id => id.Name));
        Assert.EndsWith("ActorIdTests+Listener", ids[0].Type, StringComparison.Ordinal);
    }

    [Fact]
    public void ReservedId_ReceivesEventsOnceBound()
    {
        (TestingEngine engine, Journal journal) = Explore.Journaled((r, journal) =>
        {
            ActorId reserved = r.CreateActorId(typeof(Listener), "Late");
            r.CreateActor(reserved, typeof(Listener), new WithJournal(journal));
            r.SendEvent(reserved, new Ping());
        });

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["Late got Ping"], journal.Entries);
    }

    [Fact]
    public void SendingToAnUnboundId_IsAnAssertionBug()
    {
        TestReport report = Explore.Once(r => r.SendEvent(r.CreateActorId(typeof(Listener), "Nobody"), new Ping())).TestReport;

        Assert.Equal(BugKind.Assertion, report.Bug?.Kind);
        Assert.Equal("The test sent Ping to Nobody, which is not bound to an actor.", report.Bug!.Message);
    }

    [Fact]
    public void BindingAnIdTwice_IsAnAssertionBug()
    {
        TestReport report = Explore.Once(r =>
        {
            ActorId id = r.CreateActorId(typeof(Listener), "Twice");
            r.CreateActor(id, typeof(Listener), new WithJournal(new Journal()));
            r.CreateActor(id, typeof(Listener), new WithJournal(new Journal()));
        }).TestReport;

        Assert.Equal(BugKind.Assertion, report.Bug?.Kind);
        Assert.Equal("Twice is not a free actor id of this run; CreateActorId reserves one, and each binds once.", report.Bug!.Message);
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Listener : Actor
    {
        private Journal? journal;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            journal = (initialEvent as WithJournal)?.Journal;
            return Task.CompletedTask;
        }

        private void OnPing() => journal?.Add(Id.Name + " got Ping");
    }
}
