using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Specifications;

namespace Verify.Protocols.VgicLpi;

/// <summary>What the injections of many runs cost: lock acquisitions by lock class, grace-period waits, cache hits, misses and evictions.</summary>
public sealed class VgicLpiStatistics : IKernelObserver
{
    private readonly HashSet<string> injecting = [];

    // Off during a stress run's warm-up rounds, on from its last round.
    private bool counting = true;

    public int Runs { get; set; }

    public int Injections { get; private set; }

    public int CacheHits { get; private set; }

    public int CacheMisses { get; private set; }

    public int Evictions { get; private set; }

    /// <summary>synchronize_rcu() calls by an injecting task.</summary>
    public int GpWaits { get; private set; }

    /// <summary>Acquisitions by lock class, by injecting tasks only.</summary>
    public SortedDictionary<string, int> LockAcquisitions { get; } = new(StringComparer.Ordinal);

    /// <summary>Cache entries compared by lookups and insertions under lpi_list_lock (the LRU list's walk).</summary>
    public int EntriesScanned { get; private set; }

    /// <summary>A new run: a stress run counts only from its last round.</summary>
    internal void NewRun(bool stress)
    {
        Runs++;
        counting = !stress;
        injecting.Clear();
    }

    public void Observe(Monitor.Event e)
    {
        if (e is StressRoundBegan)
        {
            counting = true;
            return;
        }

        if (!counting)
        {
            return;
        }

        switch (e)
        {
            case CacheScanned c when injecting.Count > 0:
                EntriesScanned += c.Entries;
                break;
            case InjectionBegan b:
                Injections++;
                injecting.Add(b.Task);
                break;
            case InjectionEnded d:
                injecting.Remove(d.Task);
                break;
            case CacheLookupEnded l when injecting.Contains(l.Task):
                if (l.Irq is null)
                {
                    CacheMisses++;
                }
                else
                {
                    CacheHits++;
                }

                break;
            case CacheEvicted v when injecting.Contains(v.Task):
                Evictions++;
                break;
            case GpWaitBegan w when injecting.Contains(w.Task):
                GpWaits++;
                break;
            case VgicLockTaken t when injecting.Count > 0:
                LockAcquisitions[t.LockClass] = LockAcquisitions.GetValueOrDefault(t.LockClass) + 1;
                break;
        }
    }
}
