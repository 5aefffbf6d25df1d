using Verify.Kernel.Machine;
using Verify.Kernel.Sync;
using Verify.Kernel.Work;
using Verify.Specifications;

namespace Verify.Protocols.Qpw;

/// <summary>What the drains of many random runs delivered: work items, wakeups and IPIs to isolated CPUs, lock hand-offs.</summary>
public sealed class QpwStatistics : IKernelObserver
{
    private int isolated;
    // Per drainer (its comm): the items each CPU held when its drain began.
    private readonly Dictionary<string, IReadOnlyList<int>> addedAtStart = new(StringComparer.Ordinal);

    public int Runs { get; set; }

    public int Drains { get; private set; }

    public int DrainsReturned { get; private set; }

    /// <summary>Items held when a drain began and still not drained when it returned, summed over drains.</summary>
    public int ItemsNotDrainedAtReturn { get; private set; }

    /// <summary>Work items queued to a CPU while it was isolated.</summary>
    public int WorkToIsolated { get; private set; }

    /// <summary>Of those, the ones that woke its kworker (a remote try_to_wake_up()).</summary>
    public int WakeupsOfIsolated { get; private set; }

    /// <summary>Of those wakeups, the ones that sent the CPU the reschedule IPI (it was idle, or the kworker preempts).</summary>
    public int ReschedIpisToIsolated { get; private set; }

    /// <summary>Work items queued to any CPU.</summary>
    public int WorkItems { get; private set; }

    /// <summary>Of those, the ones that woke the target's kworker.</summary>
    public int WakeupsAll { get; private set; }

    /// <summary>Of those wakeups, the ones that sent the target the reschedule IPI.</summary>
    public int ReschedIpisAll { get; private set; }

    /// <summary>
    /// Lock hand-offs: acquisitions of a CPU's lock from another CPU (a remote drain), each of which
    /// moves the lock's and the data's cache lines away from their CPU and back on its next use.
    /// </summary>
    public int LockHandoffs { get; private set; }

    public int LockAcquisitions { get; private set; }

    /// <summary>What the owner's fast path took, as the last acquisition of it did, and whether it pinned itself first (null: none ran).</summary>
    public (LockKind Kind, bool PreemptRt, bool CallerPinned)? OwnerLock { get; private set; }

    /// <summary>What a remote drain took, as the last hand-off did (null: none happened).</summary>
    public (LockKind Kind, bool PreemptRt)? RemoteLock { get; private set; }

    public void Observe(Monitor.Event e)
    {
        switch (e)
        {
            case IsolationInForce i:
                isolated |= 1 << i.Cpu;
                break;
            case DrainAllStarted d:
                Drains++;
                addedAtStart[d.Drainer] = d.Added;
                break;
            case DrainAllReturned r:
                DrainsReturned++;
                if (addedAtStart.Remove(r.Drainer, out IReadOnlyList<int>? added))
                {
                    for (int c = 0; c < r.Drained.Count; c++)
                    {
                        ItemsNotDrainedAtReturn += Math.Max(0, added[c] - r.Drained[c]);
                    }
                }

                break;
            case WorkQueued w:
                WorkItems++;
                WakeupsAll += w.WokeWorker ? 1 : 0;
                ReschedIpisAll += w.ReschedIpi ? 1 : 0;
                if ((isolated & (1 << w.Cpu)) != 0)
                {
                    WorkToIsolated++;
                    WakeupsOfIsolated += w.WokeWorker ? 1 : 0;
                    ReschedIpisToIsolated += w.ReschedIpi ? 1 : 0;
                }

                break;
            case QpwLockTaken l:
                LockAcquisitions++;
                if (l.ByCpu != l.LockCpu)
                {
                    LockHandoffs++;
                    RemoteLock = (l.Kind, l.PreemptRt);
                }

                if (l.ByOwner)
                {
                    OwnerLock = (l.Kind, l.PreemptRt, l.CallerPinned);
                }

                break;
        }
    }

    /// <summary>A new run: the isolation mask starts again (the totals go on).</summary>
    internal void NewRun()
    {
        isolated = 0;
        addedAtStart.Clear();
    }
}
