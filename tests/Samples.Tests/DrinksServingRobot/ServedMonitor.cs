using Verify.Specifications;

namespace Samples.DrinksServingRobot;

/// <summary>Liveness: every order placed is eventually served. Hot while some order is outstanding.</summary>
internal class ServedMonitor : Monitor
{
    private int outstanding;

    [Start]
    [Cold]
    [OnEventGotoState(typeof(OrderPlaced), typeof(Waiting), nameof(OnPlaced))]
    private class NoOrders : State
    {
    }

    [Hot]
    [OnEventDoAction(typeof(OrderPlaced), nameof(OnPlaced))]
    [OnEventDoAction(typeof(OrderServed), nameof(OnServed))]
    private class Waiting : State
    {
    }

    private void OnPlaced() => this.outstanding++;

    private void OnServed()
    {
        this.outstanding--;
        if (this.outstanding == 0)
        {
            this.RaiseGotoStateEvent<NoOrders>();
        }
    }
}
