using Verify.Actors;
using Verify.Specifications;

namespace Checker.Tests.StateSpace;

/// <summary>
/// Models for fair-cycle detection. A spinner loops forever (its state repeats) while a progress
/// monitor stays hot until a finisher reports. Whether a fair run can keep the monitor hot forever
/// depends on whether the finisher stays enabled while the spinner spins.
/// </summary>
internal static class LivenessModels
{
    /// <summary>Hot until Done.</summary>
    internal sealed class Progress : Monitor
    {
        [Start]
        [Hot]
        [OnEventGotoState(typeof(Done), typeof(Finished))]
        private sealed class Waiting : State
        {
        }

        [Cold]
        [IgnoreEvents(typeof(Done))]
        private sealed class Finished : State
        {
        }
    }

    internal sealed class Done : Monitor.Event
    {
    }

    internal sealed class Spin : Event
    {
    }

    internal sealed class Go : Event
    {
    }

    internal sealed class Setup(ActorId? finisher, bool mayStall) : Event
    {
        internal ActorId? Finisher { get; } = finisher;

        internal bool MayStall { get; } = mayStall;
    }

    /// <summary>
    /// Sends itself Spin forever. With a finisher to start, each spin first flips a coin (when it may
    /// stall) and sends Go on heads, once; without the coin it sends Go on its first spin.
    /// </summary>
    internal sealed class Spinner : StateMachine
    {
        private ActorId? finisher;
        private bool mayStall;

        [Start]
        [OnEntry(nameof(OnSetup))]
        [OnEventDoAction(typeof(Spin), nameof(OnSpin))]
        private sealed class Spinning : State
        {
        }

        private void OnSetup(Event e)
        {
            var s = (Setup)e;
            finisher = s.Finisher;
            mayStall = s.MayStall;
            SendEvent(Id, new Spin());
        }

        private void OnSpin()
        {
            if (finisher is not null && (!mayStall || RandomBoolean()))
            {
                SendEvent(finisher, new Go());
                finisher = null;
            }

            SendEvent(Id, new Spin());
        }
    }

    /// <summary>Reports Done when it starts, or, waiting for Go, when Go arrives.</summary>
    internal sealed class Finisher : StateMachine
    {
        internal sealed class Setup(bool waitForGo) : Event
        {
            internal bool WaitForGo { get; } = waitForGo;
        }

        [Start]
        [OnEntry(nameof(OnSetup))]
        [OnEventDoAction(typeof(Go), nameof(Finish))]
        private sealed class Active : State
        {
        }

        private void OnSetup(Event e)
        {
            if (!((Setup)e).WaitForGo)
            {
                Finish();
            }
        }

        private void Finish() => Monitor<Progress>(new Done());
    }

    /// <summary>
    /// Flips a coin at every step, in two phases. In phase 0 tails goes on to phase 1 and heads
    /// finishes; in phase 1 heads goes back to phase 0 and tails finishes. Going round the phases
    /// forever takes both values of the coin, but never both from the same state: at each state the
    /// other value ends the run, so a random run leaves the cycle with probability one.
    /// </summary>
    internal sealed class Alternator : StateMachine
    {
        private int phase;

        [Start]
        [OnEventDoAction(typeof(DefaultEvent), nameof(Flip))]
        private sealed class Flipping : State
        {
        }

        private void Flip()
        {
            bool heads = RandomBoolean();
            if (heads == (phase == 1))
            {
                phase = 1 - phase;
                return;
            }

            Monitor<Progress>(new Done());
            RaiseHaltEvent();
        }
    }

    /// <summary>A monitor hot until the alternator finishes, which every fair run does.</summary>
    internal static void AlternatingCoin(IActorRuntime r)
    {
        r.RegisterMonitor<Progress>();
        r.CreateActor(typeof(Alternator));
    }

    /// <summary>The finisher reports on its own: a run that keeps the monitor hot starves it, so no fair cycle exists.</summary>
    internal static void FinisherRunsOnItsOwn(IActorRuntime r)
    {
        r.RegisterMonitor<Progress>();
        r.CreateActor(typeof(Spinner), new Setup(null, false));
        r.CreateActor(typeof(Finisher), new Finisher.Setup(false));
    }

    /// <summary>The finisher needs Go, which nobody sends: the spinner spins forever with the monitor hot, a fair cycle.</summary>
    internal static void NobodySendsGo(IActorRuntime r)
    {
        r.RegisterMonitor<Progress>();
        r.CreateActor(typeof(Finisher), new Finisher.Setup(true));
        r.CreateActor(typeof(Spinner), new Setup(null, false));
    }

    /// <summary>
    /// The finisher needs Go, which the spinner sends when its coin comes up heads. A run where the coin
    /// says no forever keeps the monitor hot, but that is not a fair run: a choice made forever takes each value.
    /// </summary>
    internal static void SpinnerMayNeverSendGo(IActorRuntime r)
    {
        r.RegisterMonitor<Progress>();
        ActorId f = r.CreateActor(typeof(Finisher), new Finisher.Setup(true));
        r.CreateActor(typeof(Spinner), new Setup(f, true));
    }

    /// <summary>The spinner always sends Go on its first spin: every fair run cools the monitor.</summary>
    internal static void SpinnerSendsGo(IActorRuntime r)
    {
        r.RegisterMonitor<Progress>();
        ActorId f = r.CreateActor(typeof(Finisher), new Finisher.Setup(true));
        r.CreateActor(typeof(Spinner), new Setup(f, false));
    }
}
