using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Specifications;

namespace Verify.Protocols.VgicLpi;

/// <summary>What the injections of many runs cost: lock acquisitions by lock class, grace-period waits, cache hits, misses and evictions.</summary>
public sealed class VgicLpiStatistics : IKernelObserver
{
    private readonly HashSet<string> injecting = [];

    public int Runs { get; set; }

    public int Injections { get; private set; }

    public int CacheHits { get; private set; }

    public int CacheMisses { get; private set; }

    public int Evictions { get; private set; }

    /// <summary>synchronize_rcu() calls by an injecting task.</summary>
    public int GpWaits { get; private set; }

    /// <summary>Acquisitions by lock class, by injecting tasks only.</summary>
    public SortedDictionary<string, int> LockAcquisitions { get; } = new(StringComparer.Ordinal);

    public void Observe(Monitor.Event e)
    {
        switch (e)
        {
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
