using Verify.Kernel.Machine;

namespace Verify.Kernel.Irq;

/// <summary>A CPU's call_single_queue and its call-function IPI, raised and not yet taken. Any CPU may queue a call, so every access is shared.</summary>
public sealed class CallSingleQueue
{
    private bool ipiPending;

    public List<Csd> entries { get => Access.Shared(field); } = [];

    /// <summary>The call-function IPI is raised on the CPU.</summary>
    public bool ipi_pending { get => Access.Shared(ipiPending); set => ipiPending = Access.Shared(value); }

    /// <summary>The same, for the rate model's question whether a halted CPU is quiet (no access of its own).</summary>
    internal bool Raised => ipiPending;
}
