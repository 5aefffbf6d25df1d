using Verify.Actors;

namespace Samples.DiningPhilosophers;

/// <summary>
/// A fork is a lock server for one lock: it grants itself to one philosopher at a time, and
/// requests that arrive while it is taken wait in its inbox ([DeferEvents]) until it is put down.
/// </summary>
internal class Fork : StateMachine
{
    private ActorId holder;

    [Start]
    [OnEventGotoState(typeof(TakeForkEvent), typeof(Taken), nameof(Grant))]
    private class Available : State
    {
    }

    [OnEventGotoState(typeof(PutForkEvent), typeof(Available), nameof(Release))]
    [DeferEvents(typeof(TakeForkEvent))]
    private class Taken : State
    {
    }

    private void Grant(Event e)
    {
        this.holder = (e as TakeForkEvent).Philosopher;
        this.SendEvent(this.holder, new ForkGrantedEvent(this.Id));
    }

    private void Release()
    {
        this.holder = null;
    }
}
