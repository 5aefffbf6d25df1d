using Verify.Actors;
using Verify.Kernel.ContextTracking;
using Verify.Kernel.Memory;
using Verify.Kernel.Text;

namespace Verify.Protocols.ContextTracking;

/// <summary>
/// The shared state of one run: the isolated CPUs (<see cref="CtCpu"/>: each one's context-tracking
/// word and RFC v1's work word, its view of the text sites, its TLB and paging-structure cache,
/// kernel_cr3_loaded, its call queue), the text sites, the vmalloc PTEs and PMDs, the page
/// allocator and text_mutex. Memory CPU i is isolated CPU i; housekeeping CPU h is memory CPU
/// (the number of isolated CPUs) + h.
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
        mem = SharedMemory.Boot(runtime, memory, p.IsolatedCpus + scenario.Housekeepers, StaleStores);
        // The word is not masked to the counter's width: as in the kernel, the counter's carries run into the atomic_t's top bits.
        ct = new ContextTrackingState(0, workBits: 2);

        // Every isolated CPU boots in the scenario's context, doing its activity on its own.
        cpus = new CtCpu[p.IsolatedCpus];
        for (int c = 0; c < cpus.Length; c++)
        {
            cpus[c] = new CtCpu(c, mem, InitialWord(scenario.Activity), InKernelAtBoot(scenario.Activity), scenario.Housekeepers);
        }
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

        foreach (CtCpu c in cpus)
        {
            c.view = new TextView(c.cpu, sites);
        }

        bool vmalloc = scenario.Operations?.Contains(Sender.RangeFlush) ?? (p.Workload is not null || scenario.Sender is Sender.RangeFlush or Sender.PageTableFree);
        int areas = !vmalloc ? 0 : scenario.Operations is not null || p.Workload is not null ? 1 : scenario.Housekeepers;
        pte = new Location[areas];
        pmd = new Location[areas];
        vunmapped = new bool[areas];
        foreach (CtCpu c in cpus)
        {
            c.pwc = new int[areas];
        }

        for (int a = 0; a < areas; a++)
        {
            // Each area's page and page-table page were allocated, mapped and touched by every isolated CPU before boot.
            int page = frames.AllocPage();
            int table = frames.AllocPage();
            pte[a] = mem.Declare($"pte[0x{VmallocVa[a]:x}]", page);
            pmd[a] = mem.Declare($"pmd[0x{VmallocVa[a]:x}]", table);
            foreach (CtCpu c in cpus)
            {
                c.tlb.Fill(VmallocVa[a], page);
                c.pwc[a] = table;
            }
        }
    }

    internal Variant variant { get; }

    internal Scenario scenario { get; }

    internal CtParams p { get; }

    internal MemoryMode memory { get; }

    internal SharedMemory mem { get; }

    /// <summary>The layout of ct->state (CT_STATE_*, CT_WORK_START, CT_RCU_WATCHING), with two work bits.</summary>
    internal ContextTrackingState ct { get; }

    /// <summary>The isolated CPUs, by number.</summary>
    internal CtCpu[] cpus { get; }

    internal TextSite[] sites { get; }

    internal Location[] pte { get; }

    internal Location[] pmd { get; }

    /// <summary>
    /// Per vmalloc area, from vunmap's pte_clear (or pmd_clear, when its page table is freed; never
    /// mapped again then) until vmap's set_pte() of the new page: the area
    /// belongs to no user, so no code accesses it (the hardware's speculative walks still may).
    /// </summary>
    internal bool[] vunmapped { get; }

    internal PageFrames frames { get; } = new();

    /// <summary>text_mutex: the housekeeping CPU holding it, -1 when free.</summary>
    internal int text_mutex { get; set; } = -1;

    internal ActorId?[] housekeepers = [];

    internal int WorkMask => ct.CT_WORK_MASK;

    internal int Work(int bit) => 1 << (ct.CT_WORK_START + bit);

    internal int MemCpu(int hk) => cpus.Length + hk;

    internal int InitialWord(Activity a) =>
        // A counter that has counted a transition or two; its low bit is CT_RCU_WATCHING, set only in
        // the kernel: user space, idle (ct_idle_enter) and a guest (__ct_user_enter(CT_STATE_GUEST))
        // are extended quiescent states with the bit clear.
        (StateAtBoot(a) == CtState.Kernel ? ct.CT_RCU_WATCHING * 3 : ct.CT_RCU_WATCHING * 2) + (int)StateAtBoot(a);

    /// <summary>An isolated CPU runs on the kernel CR3 at boot (kernel, idle, a guest's host side): kernel_cr3_loaded.</summary>
    internal static bool InKernelAtBoot(Activity a) => a is Activity.Kernel or Activity.NmiFromKernel or Activity.CpuidleEnter or Activity.CpuidleExit or Activity.Idle or Activity.IrqFromIdle or Activity.NmiFromIdle or Activity.NmiInIrqFromIdleEntry or Activity.Guest;

    internal static CtState StateAtBoot(Activity a) => a switch
    {
        Activity.Kernel or Activity.NmiFromKernel or Activity.CpuidleEnter => CtState.Kernel,
        Activity.Idle or Activity.CpuidleExit or Activity.IrqFromIdle or Activity.NmiFromIdle or Activity.NmiInIrqFromIdleEntry => CtState.Idle,
        Activity.Guest => CtState.Guest,
        _ => CtState.User,
    };

    /// <summary>A context as traces, messages and the statistics name it: kernel, idle, user or guest.</summary>
    internal static string Name(CtState context) => context switch
    {
        CtState.Kernel => "kernel",
        CtState.Idle => "idle",
        CtState.Guest => "guest",
        _ => "user",
    };

    /// <summary>The observation goes to every registered monitor and to the statistics.</summary>
    internal void Observe(Verify.Specifications.Monitor.Event e) => CtObserver.Observe(e, p.Statistics);

    /// <summary>Statistics runs, at every step of any CPU: each isolated CPU's own context then.</summary>
    internal void SampleContexts()
    {
        if (p.Statistics is not { } statistics)
        {
            return;
        }

        foreach (CtCpu c in cpus)
        {
            statistics.Sample(c.cpu, c.context);
        }
    }
}
