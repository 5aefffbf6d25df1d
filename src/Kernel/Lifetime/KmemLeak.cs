using Verify.Actors;
using Verify.Specifications;

namespace Verify.Kernel.Lifetime;

/// <summary>
/// No leak: an object whose reference count reached zero must be freed (kfree(), or queued by
/// kfree_rcu()). Hot while such an object is unfreed, so a run that ends with one is a liveness
/// bug. Register it with <c>RegisterMonitor&lt;KmemLeak&gt;()</c> and feed it with
/// <see cref="LifetimeObserver"/>.
/// </summary>
public sealed class KmemLeak : Monitor
{
    private readonly List<string> unfreed = [];

    [Start]
    [Cold]
    [OnEventDoAction(typeof(RefcountZero), nameof(OnZero))]
    [OnEventDoAction(typeof(SlabFreed), nameof(OnFreed))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class NoLeak : State
    {
    }

    [Hot]
    [OnEventDoAction(typeof(RefcountZero), nameof(OnZero))]
    [OnEventDoAction(typeof(SlabFreed), nameof(OnFreed))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class ZeroCountObjectNotFreed : State
    {
    }

    private void OnZero(Event e)
    {
        string o = ((RefcountZero)e).Object;
        if (!unfreed.Contains(o))
        {
            unfreed.Add(o);
        }

        Logger.WriteLine($"<KmemLeak> {o}'s count reached zero; unfreed: {string.Join(", ", unfreed)}");
        RaiseGotoStateEvent<ZeroCountObjectNotFreed>();
    }

    private void OnFreed(Event e)
    {
        unfreed.Remove(((SlabFreed)e).Object);
        if (unfreed.Count == 0)
        {
            RaiseGotoStateEvent<NoLeak>();
        }
    }
}
