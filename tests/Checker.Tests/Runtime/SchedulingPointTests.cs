using Checker.Tests.Support;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.Runtime;

/// <summary>
/// Scheduling points are creation, each send, each dequeue and halt; code between two of them runs
/// atomically. The counts below follow from that and from DFS enumerating every interleaving.
/// </summary>
public sealed class SchedulingPointTests
{
    [Fact]
    public void CreateActor_InsideAHandler_IsItsOwnSchedulingStep()
    {
        // The parent's initialization creates the child: parent init, delivery of the creation, and
        // only then the child's init: a chain of 3 steps. A bystander has 1 step (its init), so
        // DFS finds the 4 positions of that step in the chain: 4!/(3! 1!) = 4 schedules.
        var runs = new List<Journal>();
        TestReport report = Explore.Dfs(r =>
        {
            var journal = new Journal();
            runs.Add(journal);
            r.CreateActor(typeof(Parent), new WithJournal(journal));
            r.CreateActor(typeof(Bystander), new WithJournal(journal));
        }).TestReport;

        Assert.Equal(4, report.Iterations);
        Assert.True(report.Exhausted);
        Assert.Equal(4 * 4, report.TotalSteps);
        Assert.All(runs, run => Assert.Equal(["parent", "child"], run.Entries.Where(e => e != "bystander")));
        Assert.Contains(runs, run => run.ToString() == "parent, bystander, child");
    }

    [Fact]
    public void Handler_RunsAtomically_BetweenSchedulingPoints()
    {
        // Two actors each do a read-modify-write of a shared box inside one handler, with no
        // scheduling point in between: no schedule loses an update (compare LostUpdate, where the
        // read and the write are separate events).
        var totals = new List<int>();
        TestReport report = Explore.Dfs(r =>
        {
            var box = new Box();
            totals.Add(0);
            int run = totals.Count - 1;
            r.CreateActor(typeof(AtomicIncrementer), new AtomicIncrementer.Setup(box, () => totals[run] = box.Value));
            r.CreateActor(typeof(AtomicIncrementer), new AtomicIncrementer.Setup(box, () => totals[run] = box.Value));
        }).TestReport;

        Assert.True(report.Exhausted);
        Assert.Equal(2, report.Iterations);
        Assert.All(totals, t => Assert.Equal(2, t));
    }

    private sealed class Box
    {
        internal int Value { get; set; }
    }

    private sealed class Parent : Actor
    {
        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            var setup = (WithJournal)initialEvent!;
            setup.Journal.Add("parent");
            CreateActor(typeof(Child), setup);
            return Task.CompletedTask;
        }
    }

    private sealed class Child : Actor
    {
        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            ((WithJournal)initialEvent!).Journal.Add("child");
            return Task.CompletedTask;
        }
    }

    private sealed class Bystander : Actor
    {
        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            ((WithJournal)initialEvent!).Journal.Add("bystander");
            return Task.CompletedTask;
        }
    }

    private sealed class AtomicIncrementer : Actor
    {
        internal sealed class Setup(Box box, Action done) : Event
        {
            public Box Box { get; } = box;

            public Action Done { get; } = done;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            var setup = (Setup)initialEvent!;
            int read = setup.Box.Value;
            setup.Box.Value = read + 1;
            setup.Done();
            return Task.CompletedTask;
        }
    }
}
