using Verify.Kernel.Memory;

namespace Verify.Protocols.VgicLpi;

/// <summary>How a lookup found its vgic_irq: under RCU (<c>Rcu</c>, the loads through the pointer then depend on <c>Dep</c>) or under a lock.</summary>
internal sealed class Lookup
{
    public bool Rcu { get; set; }

    public Dependency Dep { get; set; }
}
