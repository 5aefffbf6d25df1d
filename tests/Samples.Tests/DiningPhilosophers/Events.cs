// The events of the DiningPhilosophers sample. Each is a few lines of immutable data, so they
// share one file, as in Coyote's own samples.
using Verify.Actors;

namespace Samples.DiningPhilosophers;

internal class PhilosopherConfigEvent : Event
{
    public readonly ActorId FirstFork;
    public readonly ActorId SecondFork;
    public readonly int Meals;

    public PhilosopherConfigEvent(ActorId firstFork, ActorId secondFork, int meals)
    {
        this.FirstFork = firstFork;
        this.SecondFork = secondFork;
        this.Meals = meals;
    }
}

/// <summary>A philosopher's event to itself: go on thinking, or get hungry (a random choice).</summary>
internal class ThinkEvent : Event
{
}

/// <summary>A philosopher's event to itself: time to eat.</summary>
internal class HungryEvent : Event
{
}

internal class TakeForkEvent : Event
{
    public readonly ActorId Philosopher;

    public TakeForkEvent(ActorId philosopher)
    {
        this.Philosopher = philosopher;
    }
}

internal class ForkGrantedEvent : Event
{
    public readonly ActorId Fork;

    public ForkGrantedEvent(ActorId fork)
    {
        this.Fork = fork;
    }
}

internal class PutForkEvent : Event
{
}
