using Verify.Actors;

namespace Checker.Tests.Fixtures;

/// <summary>
/// A consumer assumes Init (from the initializer) arrives before Use (from another actor, the
/// user). Nothing orders the two senders. The user first relays its Use through
/// <c>hops</c> events to itself, so the bug needs the user to win a longer race: with more hops
/// it is found later.
/// </summary>
internal static class OrderViolation
{
    internal const string Message = "Consumer(1) received Use before Init.";

    internal static Action<IActorRuntime> Test(int hops) => runtime =>
    {
        ActorId consumer = runtime.CreateActor(typeof(Consumer));
        runtime.CreateActor(typeof(Initializer), new Target(consumer, 0));
        runtime.CreateActor(typeof(User), new Target(consumer, hops));
    };

    internal sealed class Target(ActorId consumer, int hops) : Event
    {
        public ActorId Consumer { get; } = consumer;

        public int Hops { get; } = hops;
    }

    internal sealed class Init : Event
    {
    }

    internal sealed class Use : Event
    {
    }

    internal sealed class Hop : Event
    {
    }

    [OnEventDoAction(typeof(Init), nameof(OnInit))]
    [OnEventDoAction(typeof(Use), nameof(OnUse))]
    internal sealed class Consumer : Actor
    {
        private bool initialized;

        private void OnInit() => initialized = true;

        private void OnUse() => Assert(initialized, "{0} received Use before Init.", Id);
    }

    internal sealed class Initializer : Actor
    {
        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            SendEvent(((Target)initialEvent!).Consumer, new Init());
            return Task.CompletedTask;
        }
    }

    [OnEventDoAction(typeof(Hop), nameof(OnHop))]
    internal sealed class User : Actor
    {
        private ActorId consumer = null!;
        private int hopsLeft;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            var target = (Target)initialEvent!;
            consumer = target.Consumer;
            hopsLeft = target.Hops;
            Next();
            return Task.CompletedTask;
        }

        private void OnHop()
        {
            hopsLeft--;
            Next();
        }

        private void Next() => SendEvent(hopsLeft > 0 ? Id : consumer, hopsLeft > 0 ? new Hop() : new Use());
    }
}
