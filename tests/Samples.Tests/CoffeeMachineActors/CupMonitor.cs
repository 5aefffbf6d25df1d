using Verify.Specifications;

namespace Samples.CoffeeMachineActors;

/// <summary>
/// Safety: the cup never holds more shots than were ordered, and is served with exactly that
/// many. Liveness: an ordered cup is eventually served (Filling is [Hot]).
/// </summary>
internal class CupMonitor : Monitor
{
    private int shotsOrdered;
    private int shotsInCup;

    [Start]
    [Cold]
    [OnEventGotoState(typeof(CupOrderedEvent), typeof(Filling), nameof(OnOrdered))]
    private class Empty : State
    {
    }

    [Hot]
    [OnEventDoAction(typeof(ShotPouredEvent), nameof(OnShotPoured))]
    [OnEventGotoState(typeof(CupServedEvent), typeof(Served), nameof(OnServed))]
    private class Filling : State
    {
    }

    // The cup stays under the spout after it is served: a late shot still lands in it.
    [Cold]
    [OnEventDoAction(typeof(ShotPouredEvent), nameof(OnShotPoured))]
    private class Served : State
    {
    }

    private void OnOrdered(Event e)
    {
        this.shotsOrdered = (e as CupOrderedEvent).Shots;
    }

    private void OnShotPoured()
    {
        this.shotsInCup++;
        this.Assert(this.shotsInCup <= this.shotsOrdered,
            "The cup holds {0} shots of espresso, but {1} were ordered.", this.shotsInCup, this.shotsOrdered);
    }

    private void OnServed()
    {
        this.Assert(this.shotsInCup == this.shotsOrdered,
            "The cup was served with {0} shots of espresso, but {1} were ordered.", this.shotsInCup, this.shotsOrdered);
    }
}
