using Verify.Kernel.Memory;

namespace Verify.Protocols.ContextTracking;

/// <summary>What the isolated CPU does during the run, from its state at boot.</summary>
public enum Activity
{
    /// <summary>Stays in user space (a busy poller): the kernel sees it only through an interrupt.</summary>
    User,

    /// <summary>From user space, one syscall: entry, the kernel's code, exit to user.</summary>
    Syscall,

    /// <summary>From user space, one device interrupt: irqentry_enter_from_user_mode(), the handler, irqentry_exit_to_user_mode().</summary>
    IrqFromUser,

    /// <summary>From user space, one NMI: irqentry_nmi_enter() (ct_nmi_enter(): the state stays CT_STATE_USER), the handler, ct_nmi_exit().</summary>
    NmiFromUser,

    /// <summary>From user space, one exception (a page fault): irqentry_enter() from user, the handler with interrupts on, the exit to user.</summary>
    ExceptionFromUser,

    /// <summary>Stays idle (ct_cpuidle_enter() done at boot): only an interrupt wakes it.</summary>
    Idle,

    /// <summary>Idle, then one device interrupt: ct_irq_enter() (ct_nmi_enter()), the handler, ct_irq_exit(), back to idle.</summary>
    IrqFromIdle,

    /// <summary>Idle, then one NMI: ct_nmi_enter(), the handler, ct_nmi_exit(), back to idle.</summary>
    NmiFromIdle,

    /// <summary>In the kernel all along (a long syscall or a kthread), interrupts on, running the code twice.</summary>
    Kernel,

    /// <summary>In the kernel, one NMI (ct_nmi_enter() with RCU already watching: no atomic, no flush), then the kernel's code.</summary>
    NmiFromKernel,

    /// <summary>In a KVM guest (CT_STATE_GUEST), then one VM exit: guest_state_exit_irqoff(), KVM's code, guest_state_enter_irqoff(), back into the guest.</summary>
    Guest,

    /// <summary>In the kernel (the idle task), its code, then ct_cpuidle_enter(): the exit-side update of the word to CT_STATE_IDLE; it rests idle.</summary>
    CpuidleEnter,

    /// <summary>Idle, then ct_cpuidle_exit(): the entry-side update of the word with ct_work_flush(), and the kernel's code; it stays in the kernel.</summary>
    CpuidleExit,

    /// <summary>
    /// From user space, one syscall, with one NMI nested in its entry: the NMI lands at a step
    /// boundary the schedule chooses, from the first entry instruction to the end of ct_work_flush()
    /// (before the atomic, RCU not watching: ct_nmi_enter() makes its own atomic and flush; after it,
    /// RCU watching: ct_nmi_enter() only counts ct->nmi_nesting), and its handler runs the patched sites.
    /// </summary>
    NmiInSyscallEntry,

    /// <summary>From user space, one device interrupt, with one NMI nested in irqentry_enter_from_user_mode() as in <see cref="NmiInSyscallEntry"/>.</summary>
    NmiInIrqEntry,

    /// <summary>Idle, then one device interrupt, with one NMI nested in its ct_irq_enter() as in <see cref="NmiInSyscallEntry"/>.</summary>
    NmiInIrqFromIdleEntry,
}

/// <summary>What the housekeeping CPUs do.</summary>
public enum Sender
{
    /// <summary>smp_text_poke_batch_finish() of a site in ordinary kernel text, which the isolated CPU's kernel code runs.</summary>
    TextPatch,

    /// <summary>The same for a site in noinstr/entry text (context_tracking_key's branch), which entry code runs before ct_work_flush().</summary>
    NoinstrPatch,

    /// <summary>vunmap_range() of a vmalloc area the isolated CPU has touched, flush_tlb_kernel_range(), vfree() of its page, which is reused; then a new area at the same address.</summary>
    RangeFlush,

    /// <summary>A page-table page of the vmalloc range freed after its kernel-range flush and reused: a stale paging-structure entry walks into it.</summary>
    PageTableFree,
}

/// <summary>
/// One isolated CPU (cpu0, nohz_full) doing <see cref="Activity"/> against one or two housekeeping
/// CPUs doing <see cref="Sender"/>, at minimal size, under a memory mode.
/// </summary>
public sealed record Scenario
{
    public required string Name { get; init; }

    public required Activity Activity { get; init; }

    public required Sender Sender { get; init; }

    /// <summary>Housekeeping CPUs sending (1 or 2): two text patchers serialize on text_mutex; two vunmaps run at once.</summary>
    public int Housekeepers { get; init; } = 1;

    /// <summary>
    /// A generated schedule (tests): cpu0 runs these activities one after another instead of
    /// <see cref="Activity"/>, which then only names the context it boots in; each activity starts
    /// in the context the one before left (the test's generator chains them); null for the named scenarios.
    /// </summary>
    public IReadOnlyList<Activity>? Script { get; init; }

    /// <summary>A generated schedule: the one housekeeping CPU's operations, in order, instead of <see cref="Sender"/> (text patches, noinstr patches, vunmaps).</summary>
    public IReadOnlyList<Sender>? Operations { get; init; }

    /// <summary>The activities a script may use: those that leave cpu0 in user space.</summary>
    public static IReadOnlyList<Activity> FromUser { get; } = [Activity.Syscall, Activity.IrqFromUser, Activity.NmiFromUser, Activity.ExceptionFromUser];

    /// <summary>The activities with an NMI nested in an entry path: only against one text patcher (the scenarios <c>TextPatchNmiIn...</c>).</summary>
    public static IReadOnlyList<Activity> NestedNmi { get; } = [Activity.NmiInSyscallEntry, Activity.NmiInIrqEntry, Activity.NmiInIrqFromIdleEntry];

    /// <summary>The idle transitions (ct_cpuidle_enter(), ct_cpuidle_exit()): against one text patcher and one vunmap.</summary>
    public static IReadOnlyList<Activity> Cpuidle { get; } = [Activity.CpuidleEnter, Activity.CpuidleExit];

    /// <summary>How the machine's memory orders accesses (the ordering properties differ by mode).</summary>
    public MemoryMode Memory { get; init; } = MemoryMode.Sc;

    /// <summary>Each activity against each sender with one and two housekeeping CPUs under SC, the ordering cells under TSO and the LKMM approximation, and the nested NMIs against one text patcher.</summary>
    public static IReadOnlyList<Scenario> All { get; } = Build();

    private static List<Scenario> Build()
    {
        var all = new List<Scenario>();
        foreach (Sender s in Enum.GetValues<Sender>())
        {
            foreach (Activity a in Enum.GetValues<Activity>().Except(NestedNmi).Except(Cpuidle))
            {
                all.Add(new() { Name = $"{s}{a}", Activity = a, Sender = s });
                all.Add(new() { Name = $"{s}{a}Two", Activity = a, Sender = s, Housekeepers = 2 });
            }
        }

        foreach (Sender s in new[] { Sender.TextPatch, Sender.RangeFlush })
        {
            foreach (Activity a in new[] { Activity.Syscall, Activity.Kernel })
            {
                foreach (MemoryMode m in new[] { MemoryMode.Tso, MemoryMode.Lkmm })
                {
                    all.Add(new() { Name = $"{s}{a}{m}", Activity = a, Sender = s, Memory = m });
                }
            }
        }

        foreach (Activity a in NestedNmi)
        {
            all.Add(new() { Name = $"{Sender.TextPatch}{a}", Activity = a, Sender = Sender.TextPatch });
        }

        foreach (Sender s in new[] { Sender.TextPatch, Sender.RangeFlush })
        {
            foreach (Activity a in Cpuidle)
            {
                all.Add(new() { Name = $"{s}{a}", Activity = a, Sender = s });
            }
        }

        return all;
    }
}
