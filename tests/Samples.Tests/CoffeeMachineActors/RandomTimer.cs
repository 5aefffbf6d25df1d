using System.Threading.Tasks;
using Verify.Actors;

namespace Samples.CoffeeMachineActors;

/// <summary>
/// A one-shot timer with a nondeterministic delay. Time is not real under test: each tick the
/// timer either fires (a recorded random choice) or lets another unit of time pass by sending
/// itself a tick, so the tester explores both early and late expiry. The owner cancels a timer
/// by sending it HaltEvent; a timer that has already fired has halted and the cancel is dropped.
/// </summary>
[OnEventDoAction(typeof(TimerTickEvent), nameof(OnTick))]
internal class RandomTimer : Actor
{
    private ActorId owner;

    protected override Task OnInitializeAsync(Event initialEvent)
    {
        this.owner = (initialEvent as TimerConfigEvent).Owner;
        this.SendEvent(this.Id, new TimerTickEvent());
        return Task.CompletedTask;
    }

    private void OnTick()
    {
        if (this.RandomBoolean())
        {
            this.SendEvent(this.owner, new TimerElapsedEvent(this.Id));
            this.RaiseHaltEvent();
        }
        else
        {
            this.SendEvent(this.Id, new TimerTickEvent());
        }
    }
}
