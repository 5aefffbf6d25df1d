using Verify.Actors;
using Verify.Kernel.Lifetime;
using Verify.Specifications;

namespace Verify.Protocols.VgicLpi.Monitors;

/// <summary>P-VG-L1: no task waits for an RCU grace period while it injects an MSI (a wait there costs a grace period per injection).</summary>
public sealed class InjectionNeverWaitsForGp : Monitor
{
    private readonly HashSet<string> injecting = [];

    [Start]
    [OnEventDoAction(typeof(InjectionBegan), nameof(OnBegan))]
    [OnEventDoAction(typeof(InjectionEnded), nameof(OnEnded))]
    [OnEventDoAction(typeof(GpWaitBegan), nameof(OnGpWait))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    private void OnBegan(Event e) => injecting.Add(((InjectionBegan)e).Task);

    private void OnEnded(Event e) => injecting.Remove(((InjectionEnded)e).Task);

    private void OnGpWait(Event e)
    {
        var w = (GpWaitBegan)e;
        Assert(!injecting.Contains(w.Task), "P-VG-L1: {0} waits for an RCU grace period (synchronize_rcu()) on cpu{1} inside vgic_its_inject_msi().", w.Task, w.Cpu);
    }
}
