using Verify.Kernel.Machine;
using Verify.Specifications;

namespace Verify.Protocols.Srcu;

/// <summary>
/// What one long run of back-to-back expedited grace periods delivered: the calls completed, the
/// elapsed time (jiffies at the configured HZ plus the statements run since the last tick at the cost
/// model's rate), the timed sleeps (SRCU work queued with a delay), worker passes and polls.
/// </summary>
public sealed class SrcuStatistics(ReaderLoad? readerLoad = null) : IKernelObserver
{
    private KernelState? k;
    private (int Jiffies, int Statements)? first;
    private (int Jiffies, int Statements) last;

    /// <summary>The reader load of the row, null for none.</summary>
    public ReaderLoad? ReaderLoad { get; } = readerLoad;

    /// <summary>Calls that must return before the row is done.</summary>
    public int Target { get; set; }

    public int Returned { get; private set; }

    public bool Done => Returned >= Target;

    /// <summary>SRCU work queued with a nonzero delay (each a timed sleep of the grace period or its callbacks), and the jiffies asked.</summary>
    public int Sleeps { get; private set; }

    public long SleepJiffies { get; private set; }

    /// <summary>process_srcu() passes (its srcu_get_delay() calls).</summary>
    public int WorkerPasses { get; private set; }

    /// <summary>srcu_get_delay() calls by try_check_zero() (one per failed poll before 4f2bfd9494a0, one per call after).</summary>
    public int TryCheckZeroDelays { get; private set; }

    public int NsPerStatement { get; set; } = 250;

    /// <summary>
    /// Elapsed microseconds from the first call to the last return: whole jiffies at HZ, plus the
    /// difference of the statements CPU 0 ran since its last tick, at <see cref="NsPerStatement"/>.
    /// </summary>
    public double ElapsedUs
    {
        get
        {
            if (first is not (int j0, int s0) || k is null)
            {
                return 0;
            }

            return ((last.Jiffies - j0) * 1_000_000.0 / k.HZ) + ((last.Statements - s0) * NsPerStatement / 1000.0);
        }
    }

    /// <summary>A row's run begins on <paramref name="kernel"/>: its clock is what the stamps read.</summary>
    internal void Start(KernelState kernel) => k = kernel;

    public void Observe(Monitor.Event e)
    {
        switch (e)
        {
            case SynchronizeStarted:
                first ??= Stamp();
                break;
            case SynchronizeReturned:
                Returned++;
                last = Stamp();
                break;
            case SrcuWorkDelayed { Queued: true, Delay: > 0 } d:
                Sleeps++;
                SleepJiffies += d.Delay;
                break;
            case SrcuDelayComputed { Caller: "process_srcu" }:
                WorkerPasses++;
                break;
            case SrcuDelayComputed { Caller: "try_check_zero" }:
                TryCheckZeroDelays++;
                break;
        }
    }

    // Where the run is in time: the jiffy, and the statements CPU 0, which runs the updater, the worker
    // and the callbacks, has run since its tick.
    private (int, int) Stamp() => (k!.jiffies, k.cpus[0].statements_since_tick);
}
