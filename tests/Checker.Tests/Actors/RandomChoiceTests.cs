using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Verify.Traces;
using Xunit;

namespace Checker.Tests.Actors;

public sealed class RandomChoiceTests
{
    [Fact]
    public void RandomBooleanAndRandomInteger_AreRecordedAsDecisions_InTheReproducibleTrace()
    {
        var engine = Explore.Once(r => r.CreateActor(typeof(Chooser)));

        Assert.Equal(BugKind.Assertion, engine.TestReport.Bug?.Kind);
        IReadOnlyList<Decision> decisions = engine.BugTrace!.Decisions;

        // One scheduling decision (the chooser's initialization), then its two choices in order.
        Assert.Equal(3, decisions.Count);
        Assert.Equal(new Decision(DecisionKind.Schedule, 1, 1), decisions[0]);
        Assert.Equal(DecisionKind.Boolean, decisions[1].Kind);
        Assert.Equal(DecisionKind.Integer, decisions[2].Kind);
        Assert.Equal(5, decisions[2].Bound);

        bool flip = decisions[1].Value == 1;
        int number = decisions[2].Value;
        Assert.Equal($"chose {flip} and {number}", engine.TestReport.Bug!.Message);
        Assert.EndsWith($"sched 1\nbool {decisions[1].Value}\nint {number}/5\n", engine.ReproducibleTrace, StringComparison.Ordinal);
        Assert.Contains($"Chooser(1) chooses {(flip ? "true" : "false")}", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains($"Chooser(1) chooses {number} of [0, 5)", engine.ReadableTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomChoicesOfTheTestBody_AreRecordedToo()
    {
        var engine = Explore.Once(r =>
        {
            bool flip = r.RandomBoolean();
            r.Assert(false, "the test chose {0}", flip);
        });

        Assert.Equal(BugKind.Assertion, engine.TestReport.Bug?.Kind);
        Decision only = Assert.Single(engine.BugTrace!.Decisions);
        Assert.Equal(DecisionKind.Boolean, only.Kind);
        Assert.Equal($"the test chose {only.Value == 1}", engine.TestReport.Bug!.Message);
    }

    [Fact]
    public void RandomInteger_CoversItsWholeRange_AndNothingElse()
    {
        var seen = new SortedSet<int>();
        var engine = Explore.With("random", r => r.CreateActor(typeof(Roller), new Roller.Setup(seen)), iterations: 200);

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal([0, 1, 2, 3, 4, 5], seen);
    }

    private sealed class Chooser : Actor
    {
        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            bool flip = RandomBoolean();
            int number = RandomInteger(5);
            Assert(false, "chose {0} and {1}", flip, number);
            return Task.CompletedTask;
        }
    }

    private sealed class Roller : Actor
    {
        internal sealed class Setup(SortedSet<int> seen) : Event
        {
            public SortedSet<int> Seen { get; } = seen;
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            ((Setup)initialEvent!).Seen.Add(RandomInteger(6));
            return Task.CompletedTask;
        }
    }
}
