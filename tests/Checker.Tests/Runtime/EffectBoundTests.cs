using Checker.Tests.Support;
using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.Runtime;

/// <summary>
/// One step makes at most <see cref="Configuration.MaxEffectsPerStep"/> sends, creations and random
/// choices: a handler looping without a scheduling point ends in a bug, not in memory exhaustion.
/// </summary>
public sealed class EffectBoundTests
{
    [Theory]
    [InlineData(Flood.Sends, "Flooder(1) in Ready, in handler Go handling Ping")]
    [InlineData(Flood.Creations, "Flooder(1) in Ready, in handler Go handling Ping")]
    [InlineData(Flood.Choices, "Flooder(1) in Ready, in handler Go handling Ping")]
    public void AHandlerThatLoopsMakingEffects_EndsInAnEffectBoundBug(Flood what, string where)
    {
        TestReport report = Explore.Once(r => r.SendEvent(r.CreateActor(typeof(Flooder), new Flooder.Setup(what, int.MaxValue)), new Ping())).TestReport;

        Assert.Equal(BugKind.EffectBound, report.Bug?.Kind);
        string expected = $"{where} made more than 100,000 sends, creations and random choices in step 2. A handler that loops without a scheduling point usually causes this";
        Assert.Equal(expected, report.Bug!.Message[..Math.Min(expected.Length, report.Bug.Message.Length)]);
    }

    [Fact]
    public void TheCount_StartsAgainAtEveryStep()
    {
        // 60,000 sends in each of two steps: 120,000 in the run, never more than the bound in one step.
        TestReport report = Explore.Once(r =>
        {
            ActorId f = r.CreateActor(typeof(Flooder), new Flooder.Setup(Flood.Sends, 60_000));
            r.SendEvent(f, new Ping());
            r.SendEvent(f, new Ping());
        }).TestReport;

        Assert.Null(report.Bug);
    }

    [Fact]
    public void TheTestMethod_IsAStepToo()
    {
        TestReport report = Explore.Once(r =>
        {
            ActorId f = r.CreateActor(typeof(Flooder), new Flooder.Setup(Flood.Sends, 0));
            while (true)
            {
                r.SendEvent(f, new Ping());
            }
        }).TestReport;

        Assert.Equal(BugKind.EffectBound, report.Bug?.Kind);
        Assert.StartsWith("the test method made more than 100,000 sends, creations and random choices in step 0.", report.Bug!.Message);
    }

    public enum Flood
    {
        Sends,
        Creations,
        Choices,
    }

    private sealed class Flooder : StateMachine
    {
        private Flood what;
        private int rounds;

        internal sealed class Setup(Flood what, int rounds) : Event
        {
            public Flood What { get; } = what;

            public int Rounds { get; } = rounds;
        }

        [Start]
        [OnEntry(nameof(Configure))]
        [OnEventDoAction(typeof(Ping), nameof(Go))]
        [OnEventDoAction(typeof(Pong), nameof(Ignore))]
        private sealed class Ready : State
        {
        }

        private void Configure(Event e)
        {
            what = ((Setup)e).What;
            rounds = ((Setup)e).Rounds;
        }

        private void Go()
        {
            for (int i = 0; i < rounds; i++)
            {
                switch (what)
                {
                    case Flood.Sends:
                        SendEvent(Id, new Pong());
                        break;
                    case Flood.Creations:
                        CreateActor(typeof(Idle));
                        break;
                    default:
                        RandomBoolean();
                        break;
                }
            }
        }

        private void Ignore()
        {
        }
    }

    private sealed class Pong : Event
    {
    }

    private sealed class Idle : Actor
    {
    }
}
