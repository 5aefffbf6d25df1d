using System.Threading.Tasks;
using Verify;
using Verify.Actors;
using Xunit;

namespace Compat.Tests;

public class HaltTests : BaseActorTest
{
    private sealed class ReceivesWhileHalting : Actor
    {
        protected override async Task OnHaltAsync(Event e) => await ReceiveEventAsync(typeof(Ping));
    }

    [Fact]
    public void Actor_ReceiveEventAsyncInOnHaltAsync_IsABug()
    {
        TestWithError(
            r => r.SendEvent(r.CreateActor(typeof(ReceivesWhileHalting)), HaltEvent.Instance),
            "ReceivesWhileHalting(1) called ReceiveEventAsync after it halted (in OnHaltAsync); a halted actor receives no more events.",
            kind: BugKind.Assertion);
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Quitter : Actor
    {
        private void OnPing() => RaiseHaltEvent();
    }

    [Fact]
    public void Runtime_OnActorHalted_IsCalledWithTheHaltedActor_WhoseStatusIsHalted()
    {
        var journal = new Journal();
        Test(r =>
        {
            r.OnActorHalted += id => journal.Add($"{id} {r.GetActorExecutionStatus(id)}, {r.GetCurrentActorCount()} left");
            r.CreateActor(typeof(Quitter));
            r.SendEvent(r.CreateActor(typeof(Quitter)), new Ping());
        });

        Assert.Equal(new[] { "Quitter(2) Halted, 1 left" }, journal.Lines);
    }

    [Fact]
    public void Runtime_OnEventDropped_IsCalledForEventsLeftInTheInboxOfAHaltedActor()
    {
        var journal = new Journal();
        Test(r =>
        {
            r.OnEventDropped += (e, target) => journal.Add($"{e.GetType().Name} to {target}");
            ActorId id = r.CreateActor(typeof(Quitter));
            r.SendEvent(id, new Ping());
            r.SendEvent(id, new Go());
        });

        Assert.Equal(new[] { "Go to Quitter(1)" }, journal.Lines);
    }

    [OnEventDoAction(typeof(Go), nameof(OnGo))]
    private sealed class LateSender : Actor
    {
        private ActorId target;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            target = ((Setup)initialEvent).Other;
            return Task.CompletedTask;
        }

        private void OnGo() => SendEvent(target, new Go());
    }

    [Fact]
    public void Runtime_OnEventDropped_IsCalledForAnEventSentToAHaltedActor()
    {
        var journal = new Journal();
        Test(r =>
        {
            r.OnEventDropped += (e, target) => journal.Add($"{e.GetType().Name} to {target}");
            ActorId quitter = r.CreateActor(typeof(Quitter));
            r.SendEvent(quitter, HaltEvent.Instance);
            r.SendEvent(r.CreateActor(typeof(LateSender), new Setup(journal, quitter)), new Go());
        },
        GetConfiguration().WithTestingIterations(20));

        // Either the halt comes first and Go is dropped on arrival, or Go is queued behind it and dropped at the halt.
        Assert.Equal(20, journal.Lines.Count);
        Assert.All(journal.Lines, l => Assert.Equal("Go to Quitter(1)", l));
    }
}
