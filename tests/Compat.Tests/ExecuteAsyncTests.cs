using System.Threading.Tasks;
using Verify;
using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Compat.Tests;

public class ExecuteAsyncTests : BaseActorTest
{
    /// <summary>Counts pings; each ping also makes it send itself a Go, so it is idle only after both.</summary>
    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    [OnEventDoAction(typeof(Go), nameof(OnGo))]
    private sealed class Tally : Actor
    {
        private Journal journal;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            journal = ((Setup)initialEvent).Journal;
            journal.Add("started");
            return Task.CompletedTask;
        }

        private void OnPing()
        {
            journal.Add("ping");
            SendEvent(Id, new Go());
        }

        private void OnGo() => journal.Add("go");
    }

    [Fact]
    public void Runtime_CreateAndSendAndExecuteAsync_ReturnOnceTheActorIsIdle()
    {
        var journal = new Journal();
        using TestingEngine engine = TestingEngine.Create(GetConfiguration().WithTestingIterations(20), async (IActorRuntime r) =>
        {
            journal.Lines.Clear();
            ActorId id = await r.CreateActorAndExecuteAsync(typeof(Tally), new Setup(journal));
            journal.Add("created");
            bool handled = await r.SendEventAndExecuteAsync(id, new Ping());
            journal.Add($"sent: {handled}");
        });
        engine.Run();

        Assert.Null(engine.TestReport.Bug);
        Assert.Equal(20, engine.TestReport.Iterations);
        Assert.Equal(new[] { "started", "created", "ping", "go", "sent: True" }, journal.Lines);
    }

    [Fact]
    public void Runtime_SendEventAndExecuteAsync_LetsTheTestAssertOnTheOutcome_AndTheBugReplays()
    {
        var journal = new Journal();
        using TestingEngine engine = TestingEngine.Create(GetConfiguration(), async (IActorRuntime r) =>
        {
            ActorId id = await r.CreateActorAndExecuteAsync(typeof(Tally), new Setup(journal));
            await r.SendEventAndExecuteAsync(id, new Ping());
            Specification.Assert(journal.Lines.Count == 2, "the tally saw {0} events", journal.Lines.Count);
        });
        engine.Run();

        Assert.Equal(BugKind.Assertion, engine.TestReport.Bug?.Kind);
        Assert.Equal("the tally saw 3 events", engine.TestReport.Bug.Message);

        using TestingEngine replay = TestingEngine.Create(Configuration.Create().WithReproducibleTrace(engine.ReproducibleTrace), async (IActorRuntime r) =>
        {
            journal.Lines.Clear();
            ActorId id = await r.CreateActorAndExecuteAsync(typeof(Tally), new Setup(journal));
            await r.SendEventAndExecuteAsync(id, new Ping());
            Specification.Assert(journal.Lines.Count == 2, "the tally saw {0} events", journal.Lines.Count);
        });
        replay.Run();
        Assert.Null(replay.TestReport.Divergence);
        Assert.Equal("the tally saw 3 events", replay.TestReport.Bug?.Message);
    }

    [Fact]
    public void Runtime_SendEventAndExecuteAsync_ToAHaltedActor_ReturnsFalse()
    {
        bool? handled = null;
        using TestingEngine engine = TestingEngine.Create(GetConfiguration(), async (IActorRuntime r) =>
        {
            ActorId id = await r.CreateActorAndExecuteAsync(typeof(Tally), new Setup(new Journal()));
            await r.SendEventAndExecuteAsync(id, HaltEvent.Instance);
            handled = await r.SendEventAndExecuteAsync(id, new Ping());
        });
        engine.Run();

        Assert.Null(engine.TestReport.Bug);
        Assert.False(handled);
    }
}
