using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Xunit;

namespace Checker.Tests.Actors;

public sealed class OnExceptionTests
{
    [Fact]
    public void ThrowException_ReportsTheExceptionAsABug()
    {
        (var engine, Journal journal) = Run(OnExceptionOutcome.ThrowException);

        Assert.Equal(BugKind.Exception, engine.TestReport.Bug?.Kind);
        Assert.StartsWith(
            "FragileWorker(1).OnCrash threw InvalidOperationException: boom handling Crash. At: ",
            engine.TestReport.Bug!.Message,
            StringComparison.Ordinal);
        Assert.Equal(["caught boom from OnCrash handling Crash"], journal.Entries);
    }

    [Fact]
    public void HandledException_LetsTheActorGoOn()
    {
        (var engine, Journal journal) = Run(OnExceptionOutcome.HandledException);

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["caught boom from OnCrash handling Crash", "work1"], journal.Entries);
    }

    [Fact]
    public void Halt_HaltsTheActor_AndDropsItsInbox()
    {
        (var engine, Journal journal) = Run(OnExceptionOutcome.Halt);

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(["caught boom from OnCrash handling Crash", "halted"], journal.Entries);
    }

    [Fact]
    public void ExceptionWithoutOnException_IsAnExceptionBug()
    {
        var engine = Explore.Once(r =>
        {
            ActorId id = r.CreateActor(typeof(CarelessWorker));
            r.SendEvent(id, new Crash());
        });

        Assert.Equal(BugKind.Exception, engine.TestReport.Bug?.Kind);
        Assert.StartsWith("CarelessWorker(1).OnCrash threw InvalidOperationException: boom", engine.TestReport.Bug!.Message, StringComparison.Ordinal);
    }

    private static (Verify.SystematicTesting.TestingEngine Engine, Journal Journal) Run(OnExceptionOutcome outcome) =>
        Explore.Journaled((r, journal) =>
        {
            ActorId id = r.CreateActor(typeof(FragileWorker), new FragileWorker.Setup(journal, outcome));
            r.SendEvent(id, new Crash());
            r.SendEvent(id, new Numbered("work", 1));
        });

    private sealed class Crash : Event
    {
    }

    [OnEventDoAction(typeof(Crash), nameof(OnCrash))]
    [OnEventDoAction(typeof(Numbered), nameof(OnWork))]
    private sealed class FragileWorker : Actor
    {
        private Journal journal = null!;
        private OnExceptionOutcome outcome;

        internal sealed class Setup(Journal journal, OnExceptionOutcome outcome) : Event
        {
            public Journal Journal { get; } = journal;

            public OnExceptionOutcome Outcome { get; } = outcome;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            var setup = (Setup)initialEvent!;
            journal = setup.Journal;
            outcome = setup.Outcome;
            return Task.CompletedTask;
        }

        protected override OnExceptionOutcome OnException(Exception ex, string methodName, Event e)
        {
            journal.Add($"caught {ex.Message} from {methodName} handling {e.GetType().Name}");
            return outcome;
        }

        protected override Task OnHaltAsync(Event e)
        {
            journal.Add("halted");
            return Task.CompletedTask;
        }

        private void OnCrash() => throw new InvalidOperationException("boom");

        private void OnWork(Event e) => journal.Add("work" + ((Numbered)e).Seq);
    }

    [OnEventDoAction(typeof(Crash), nameof(OnCrash))]
    private sealed class CarelessWorker : Actor
    {
        private void OnCrash() => throw new InvalidOperationException("boom");
    }
}
