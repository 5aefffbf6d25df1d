using System.Collections.Generic;
using Verify.Actors;
using Verify.Specifications;

namespace Samples.PingPong;

/// <summary>
/// Safety: a pong answers a ping that is still outstanding. Liveness: every ping is eventually
/// answered; the monitor is hot while some ping is outstanding.
/// </summary>
internal class RoundTripMonitor : Monitor
{
    private readonly HashSet<(ActorId Client, int Round)> outstanding = new HashSet<(ActorId Client, int Round)>();

    [Start]
    [Cold]
    [OnEventGotoState(typeof(PingEvent), typeof(Waiting), nameof(OnPing))]
    [OnEventDoAction(typeof(PongEvent), nameof(OnPong))]
    private class Idle : State
    {
    }

    [Hot]
    [OnEventDoAction(typeof(PingEvent), nameof(OnPing))]
    [OnEventDoAction(typeof(PongEvent), nameof(OnPong))]
    private class Waiting : State
    {
    }

    private void OnPing(Event e)
    {
        var ping = e as PingEvent;
        this.Assert(this.outstanding.Add((ping.Client, ping.Round)), "{0} sent ping {1} twice.", ping.Client, ping.Round);
    }

    private void OnPong(Event e)
    {
        var pong = e as PongEvent;
        this.Assert(this.outstanding.Remove((pong.Client, pong.Round)),
            "{0} received pong {1}, which answers no outstanding ping.", pong.Client, pong.Round);
        if (this.outstanding.Count == 0)
        {
            this.RaiseGotoStateEvent<Idle>();
        }
    }
}
