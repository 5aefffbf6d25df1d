using Verify.Actors;
using Verify.Kernel.Rcu.Srcu;
using Verify.Specifications;

namespace Verify.Protocols.Srcu.Monitors;

/// <summary>
/// P-SR-L1, the worker leaves the CPU to others (what live patching needs): process_srcu() reschedules
/// itself with zero delay at most srcu_max_nodelay_phase times per grace-period phase (the sequence
/// its srcu_get_delay() read) and at most srcu_max_nodelay times per jiffy; and while a grace period
/// is in progress and older than the jiffy the heuristics tolerate, the delay is at least its age
/// minus one jiffy, up to SRCU_MAX_INTERVAL (10), so delays grow with the age of a grace period that
/// a blocking reader holds up. The bounds are the version's (282d8998e997's 1 and 100 for the
/// version before it, which has none; nor does it record a grace period's start, so its delays are
/// judged by the counts alone).
/// </summary>
public sealed class BoundedNoDelay : Monitor
{
    private int phaseBound = 1;
    private int jiffyBound = 100;
    private readonly Dictionary<long, int> zeroPerPhase = [];
    private readonly Dictionary<int, int> zeroPerJiffy = [];

    [Start]
    [OnEventDoAction(typeof(SrcuBounds), nameof(OnBounds))]
    [OnEventDoAction(typeof(SrcuRescheduled), nameof(OnReschedule))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnBounds(Event e)
    {
        var b = (SrcuBounds)e;
        phaseBound = b.MaxNodelayPhase;
        jiffyBound = b.MaxNodelay;
    }

    private void OnReschedule(Event e)
    {
        var r = (SrcuRescheduled)e;
        if (r.Caller != "process_srcu" || !r.Pushgp)
        {
            return;
        }

        if (r.Delay == 0)
        {
            int inPhase = zeroPerPhase[r.GpSeq] = zeroPerPhase.GetValueOrDefault(r.GpSeq) + 1;
            Assert(inPhase <= phaseBound,
                "P-SR-L1: process_srcu() rescheduled itself with zero delay {0} times in grace-period phase {1} ({2}), more than the {3} allowed.",
                inPhase, r.GpSeq, RcuSeq.StateName(r.GpSeq), phaseBound);
            // The jiffy process_srcu() counts in (its j = jiffies), else the one srcu_get_delay() read.
            int jiffy = r.CountJiffies ?? r.Jiffies;
            int inJiffy = zeroPerJiffy[jiffy] = zeroPerJiffy.GetValueOrDefault(jiffy) + 1;
            Assert(inJiffy <= jiffyBound,
                "P-SR-L1: process_srcu() rescheduled itself with zero delay {0} times in jiffy {1}, more than the {2} allowed.",
                inJiffy, jiffy, jiffyBound);
        }

        // The version before 282d8998e997 records no start (GpStart null): no age to judge the delay by.
        long age = r.Jiffies - (r.GpStart ?? r.Jiffies);
        if (RcuSeq.rcu_seq_state(r.GpSeq) != RcuSeq.SRCU_STATE_IDLE && age >= 2)
        {
            long want = Math.Min(age - 1, 10);
            Assert(r.Delay >= want,
                "P-SR-L1: process_srcu() rescheduled with delay {0} while grace period {1} ({2}) was {3} jiffies old: it should wait at least {4} (the delay grows with the age, up to 10).",
                r.Delay, r.GpSeq, RcuSeq.StateName(r.GpSeq), age, want);
        }
    }
}
