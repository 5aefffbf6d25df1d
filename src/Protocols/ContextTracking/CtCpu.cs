using Verify.Actors;
using Verify.Kernel.ContextTracking;
using Verify.Kernel.Memory;
using Verify.Kernel.Text;

namespace Verify.Protocols.ContextTracking;

/// <summary>
/// What the kernel keeps per CPU for one isolated CPU: its context_tracking (ct->state, RFC v1's
/// ct->work, ct->nmi_nesting), kernel_cr3_loaded, its view of the text sites, its TLB and
/// paging-structure cache, its call_single_queue with the IPI raised on it, and each sender's csd
/// for it. Isolated CPU <c>cpu</c> is memory CPU <c>cpu</c>.
/// </summary>
internal sealed class CtCpu
{
    internal CtCpu(int cpu, SharedMemory mem, int word, bool cr3Loaded, int housekeepers)
    {
        this.cpu = cpu;
        ctState = mem.Declare($"ct->state[cpu{cpu}]", word);
        ctWork = mem.Declare($"ct->work[cpu{cpu}]");
        kernel_cr3_loaded = mem.Declare($"kernel_cr3_loaded[cpu{cpu}]", cr3Loaded ? 1 : 0);
        csd_locked = new bool[housekeepers];
        tlb = new KernelTlb(cpu);
    }

    /// <summary>The CPU's number (and its memory CPU).</summary>
    internal int cpu { get; }

    /// <summary>The CPU's name in traces and messages.</summary>
    internal string name => $"cpu{cpu}";

    internal Location ctState { get; }

    /// <summary>RFC v1's separate work atomic.</summary>
    internal Location ctWork { get; }

    internal Location kernel_cr3_loaded { get; }

    /// <summary>The CPU's view of the text sites, made once the sites exist.</summary>
    internal TextView view { get; set; } = null!;

    internal KernelTlb tlb { get; }

    /// <summary>The paging-structure cache: the page-table page last walked through per area (0: none).</summary>
    internal int[] pwc { get; set; } = [];

    /// <summary>Calls queued on this CPU (its call_single_queue), by the sending housekeeping CPU and callback.</summary>
    internal List<(int Hk, CtCallFunc Func)> calls { get; } = [];

    /// <summary>CSD_FLAG_LOCK of each sender's csd for this CPU: set when queued, cleared by this CPU's csd_unlock().</summary>
    internal bool[] csd_locked { get; }

    /// <summary>The call-function IPI is raised on this CPU and not yet taken.</summary>
    internal bool ipi_pending { get; set; }

    /// <summary>The CPU's context for the statistics and the noise property: user, kernel, idle or guest.</summary>
    internal CtState context { get; set; } = CtState.User;

    internal ActorId? actor;

    /// <summary>Where the CPU is halted (resting in user, idle, a guest, or a kernel wait) until an interrupt.</summary>
    internal bool halted { get; set; }

    /// <summary>
    /// ct->nmi_nesting as the nested NMI reads and writes it. The entry paths write it only after
    /// ct_work_flush() (ct_kernel_enter() and ct_nmi_enter() after ct_kernel_enter_state()), outside
    /// the window where the nested NMI lands, so there it holds the 0 that user space and idle leave;
    /// the other activities do not track it.
    /// </summary>
    internal int nmi_nesting { get; set; }

    /// <summary>Atomic writes of this CPU's context-tracking word so far (its own atomics and setters' successful cmpxchgs), for the bounded-retry property.</summary>
    internal int word_writes { get; set; }

    /// <summary>v6: the CPU's one speculative page walk in a kernel-CR3 window (kernel_cr3_loaded reading 0) has been made.</summary>
    internal bool kernel_cr3_walked { get; set; }
}
