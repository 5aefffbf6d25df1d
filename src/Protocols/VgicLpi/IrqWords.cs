using Verify.Kernel.Memory;

namespace Verify.Protocols.VgicLpi;

/// <summary>The words of one vgic_irq that a lockless lookup loads, in the model's shared memory: irq->refcount and irq->intid.</summary>
internal sealed record IrqWords(Location refcount, Location intid);
