using Verify.Actors;
using Verify.Kernel.ContextTracking;
using Verify.Kernel.Memory;
using Verify.Kernel.Text;

namespace Verify.Protocols.ContextTracking;

/// <summary>
/// The shared state of one run: the isolated CPU's context-tracking word (and RFC v1's work word),
/// the text sites and the CPU's view of them, the vmalloc PTE and PMD with the CPU's TLB and
/// paging-structure cache, kernel_cr3_loaded, the page allocator, the call queue of cpu0 and
/// text_mutex. Memory CPU 0 is the isolated CPU; housekeeping CPU h is memory CPU 1 + h.
/// </summary>
internal sealed class CtKernel
{
    /// <summary>The work bits: CT_WORK_SYNC (x86 sync_core()) and CT_WORK_TLBI (a kernel TLB flush).</summary>
    internal const int CT_WORK_SYNC = 0;

    internal const int CT_WORK_TLBI = 1;

    /// <summary>The vmalloc addresses the senders unmap (as page numbers): X, and Y for a second sender.</summary>
    internal static readonly int[] VmallocVa = [0x100, 0x200];

    /// <summary>The weak modes' bound: a TSO store buffer's size, how far behind an LKMM load may read.</summary>
    internal const int StaleStores = 3;

    internal CtKernel(IActorRuntime runtime, Variant variant, Scenario scenario, CtParams p)
    {
        this.variant = variant;
        this.scenario = scenario;
        this.p = p;
        memory = p.Memory ?? scenario.Memory;
        mem = SharedMemory.Boot(runtime, memory, 1 + scenario.Housekeepers, StaleStores);
        // The word is not masked to the counter's width: as in the kernel, the counter's carries run into the atomic_t's top bits.
        ct = new ContextTrackingState(0, workBits: 2);
        ctState = mem.Declare("ct->state[cpu0]", InitialWord(scenario.Activity));
        csd_locked = new bool[scenario.Housekeepers];
        ctWork = mem.Declare("ct->work[cpu0]");
        kernel_cr3_loaded = mem.Declare("kernel_cr3_loaded[cpu0]", InKernelAtBoot(scenario.Activity) ? 1 : 0);
        if (p.Workload is not null || scenario.Operations is not null)
        {
            // One sender doing several kinds of operation: one site of each kind of text it patches, one vmalloc area.
            IReadOnlyList<Sender> ops = scenario.Operations ?? [Sender.TextPatch, Sender.RangeFlush];
            var list = new List<TextSite>();
            if (ops.Contains(Sender.TextPatch))
            {
                list.Add(new TextSite(mem, "__tracepoint_sched_switch", false));
            }

            if (ops.Contains(Sender.NoinstrPatch))
            {
                list.Add(new TextSite(mem, "context_tracking_key", true));
            }

            sites = [.. list];
        }
        else
        {
            TextSite[] all = scenario.Sender switch
            {
                Sender.TextPatch => [new TextSite(mem, "__tracepoint_sched_switch", false), new TextSite(mem, "__tracepoint_irq_handler_entry", false)],
                Sender.NoinstrPatch => [new TextSite(mem, "context_tracking_key", true), new TextSite(mem, "__sched_clock_stable", true)],
                _ => [],
            };
            sites = all.Take(scenario.Housekeepers).ToArray();
        }

        view = new TextView(0, sites);
        tlb = new KernelTlb(0);
        bool vmalloc = scenario.Operations?.Contains(Sender.RangeFlush) ?? (p.Workload is not null || scenario.Sender is Sender.RangeFlush or Sender.PageTableFree);
        int areas = !vmalloc ? 0 : scenario.Operations is not null || p.Workload is not null ? 1 : scenario.Housekeepers;
        pte = new Location[areas];
        pmd = new Location[areas];
        pwc = new int[areas];
        for (int a = 0; a < areas; a++)
        {
            // Each area's page and page-table page were allocated, mapped and touched by cpu0 before boot.
            int page = frames.AllocPage();
            int table = frames.AllocPage();
            pte[a] = mem.Declare($"pte[0x{VmallocVa[a]:x}]", page);
            pmd[a] = mem.Declare($"pmd[0x{VmallocVa[a]:x}]", table);
            tlb.Fill(VmallocVa[a], page);
            pwc[a] = table;
        }
    }

    internal Variant variant { get; }

    internal Scenario scenario { get; }

    internal CtParams p { get; }

    internal MemoryMode memory { get; }

    internal SharedMemory mem { get; }

    /// <summary>The layout of ct->state (CT_STATE_*, CT_WORK_START, CT_RCU_WATCHING), with two work bits.</summary>
    internal ContextTrackingState ct { get; }

    internal Location ctState { get; }

    /// <summary>RFC v1's separate work atomic.</summary>
    internal Location ctWork { get; }

    internal Location kernel_cr3_loaded { get; }

    internal TextSite[] sites { get; }

    internal TextView view { get; }

    internal KernelTlb tlb { get; }

    internal Location[] pte { get; }

    internal Location[] pmd { get; }

    /// <summary>cpu0's paging-structure cache: the page-table page it last walked through per area (0: none).</summary>
    internal int[] pwc { get; }

    internal PageFrames frames { get; } = new();

    /// <summary>Calls queued on cpu0 (its call_single_queue), by the sending housekeeping CPU and callback.</summary>
    internal List<(int Hk, string Func)> calls { get; } = [];

    /// <summary>CSD_FLAG_LOCK of each sender's csd for cpu0: set when queued, cleared by cpu0's csd_unlock().</summary>
    internal bool[] csd_locked { get; }

    /// <summary>The call-function IPI is raised on cpu0 and not yet taken.</summary>
    internal bool ipi_pending { get; set; }

    /// <summary>text_mutex: the housekeeping CPU holding it, -1 when free.</summary>
    internal int text_mutex { get; set; } = -1;

    /// <summary>cpu0's context for the statistics and the noise property: user, kernel, idle or guest.</summary>
    internal string context { get; set; } = "user";

    internal ActorId? cpu0;

    internal ActorId?[] housekeepers = [];

    /// <summary>Where cpu0 is halted (resting in user, idle, a guest, or a kernel wait) until an interrupt.</summary>
    internal bool cpu0_halted { get; set; }

    /// <summary>
    /// ct->nmi_nesting of cpu0 as the nested NMI reads and writes it. The entry paths write it only
    /// after ct_work_flush() (ct_kernel_enter() and ct_nmi_enter() after ct_kernel_enter_state()),
    /// outside the window where the nested NMI lands, so there it holds the 0 that user space and
    /// idle leave; the other activities do not track it.
    /// </summary>
    internal int nmi_nesting { get; set; }

    /// <summary>Atomic writes of cpu0's context-tracking word so far (cpu0's atomics and setters' successful cmpxchgs), for the bounded-retry property.</summary>
    internal int word_writes { get; set; }

    internal int WorkMask => ct.CT_WORK_MASK;

    internal int Work(int bit) => 1 << (ct.CT_WORK_START + bit);

    internal static int MemCpu(int hk) => 1 + hk;

    internal int InitialWord(Activity a) =>
        // A counter that has counted a transition or two; its low bit is CT_RCU_WATCHING, set only in
        // the kernel: user space, idle (ct_idle_enter) and a guest (__ct_user_enter(CT_STATE_GUEST))
        // are extended quiescent states with the bit clear.
        (StateAtBoot(a) == CtState.Kernel ? ct.CT_RCU_WATCHING * 3 : ct.CT_RCU_WATCHING * 2) + (int)StateAtBoot(a);

    /// <summary>cpu0 runs on the kernel CR3 at boot (kernel, idle, a guest's host side): kernel_cr3_loaded.</summary>
    internal static bool InKernelAtBoot(Activity a) => a is Activity.Kernel or Activity.NmiFromKernel or Activity.Idle or Activity.IrqFromIdle or Activity.NmiFromIdle or Activity.NmiInIrqFromIdleEntry or Activity.Guest;

    internal static CtState StateAtBoot(Activity a) => a switch
    {
        Activity.Kernel or Activity.NmiFromKernel => CtState.Kernel,
        Activity.Idle or Activity.IrqFromIdle or Activity.NmiFromIdle or Activity.NmiInIrqFromIdleEntry => CtState.Idle,
        Activity.Guest => CtState.Guest,
        _ => CtState.User,
    };

    internal static string ContextAtBoot(Activity a) => StateAtBoot(a) switch
    {
        CtState.Kernel => "kernel",
        CtState.Idle => "idle",
        CtState.Guest => "guest",
        _ => "user",
    };

    /// <summary>The observation goes to every registered monitor and to the statistics.</summary>
    internal void Observe(Verify.Specifications.Monitor.Event e) => CtObserver.Observe(e, p.Statistics);
}
