using System.Threading.Tasks;
using Verify.Actors;

namespace Samples.DiningPhilosophers;

/// <summary>
/// Thinks for a while (a random number of steps), then eats, a number of times. Each meal is
/// one asynchronous handler: request the first fork and wait for it, request the second and
/// wait for it, eat, put both down. While the handler waits in ReceiveEventAsync, the
/// philosopher handles nothing else.
/// </summary>
[OnEventDoAction(typeof(ThinkEvent), nameof(Think))]
[OnEventDoAction(typeof(HungryEvent), nameof(EatAsync))]
internal class Philosopher : Actor
{
    private ActorId firstFork;
    private ActorId secondFork;
    private int mealsLeft;

    protected override Task OnInitializeAsync(Event initialEvent)
    {
        var config = initialEvent as PhilosopherConfigEvent;
        this.firstFork = config.FirstFork;
        this.secondFork = config.SecondFork;
        this.mealsLeft = config.Meals;
        this.SendEvent(this.Id, new ThinkEvent());
        return Task.CompletedTask;
    }

    private void Think()
    {
        if (this.RandomBoolean())
        {
            this.SendEvent(this.Id, new HungryEvent());
        }
        else
        {
            this.SendEvent(this.Id, new ThinkEvent());
        }
    }

    private async Task EatAsync()
    {
        this.SendEvent(this.firstFork, new TakeForkEvent(this.Id));
        var first = (ForkGrantedEvent)await this.ReceiveEventAsync(typeof(ForkGrantedEvent));
        this.SendEvent(this.secondFork, new TakeForkEvent(this.Id));
        var second = (ForkGrantedEvent)await this.ReceiveEventAsync(typeof(ForkGrantedEvent));
        this.Assert(first.Fork.Equals(this.firstFork) && second.Fork.Equals(this.secondFork),
            "{0} was granted {1} and {2}, but asked for {3} and {4}.", this.Id, first.Fork, second.Fork, this.firstFork, this.secondFork);

        this.Logger.WriteLine("{0} eats.", this.Id);
        DiningPhilosophersSample.CountMeal();
        this.SendEvent(this.firstFork, new PutForkEvent());
        this.SendEvent(this.secondFork, new PutForkEvent());

        this.mealsLeft--;
        if (this.mealsLeft > 0)
        {
            this.SendEvent(this.Id, new ThinkEvent());
        }
        else
        {
            this.RaiseHaltEvent();
        }
    }
}
