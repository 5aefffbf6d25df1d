using Verify.Kernel.Memory;

namespace Verify.Protocols.KvmRcu;

/// <summary>A workload on the nohz_full CPU(s) around the vCPU: the situations named in the upstream discussion.</summary>
public sealed record Scenario
{
    public required string Name { get; init; }

    public required VcpuScript Vcpu { get; init; }

    /// <summary>How the machine's memory orders accesses: SC but for the memory-mode scenarios.</summary>
    public MemoryMode Memory { get; init; } = MemoryMode.Sc;

    /// <summary>The properties the verdict table checks on this scenario; null for all.</summary>
    public IReadOnlyList<Property>? Checks { get; init; }

    /// <summary>nohz_full CPUs modelled: 2 when the vCPU migrates.</summary>
    public int Cpus { get; init; } = 1;

    /// <summary>A SCHED_FIFO kthread on cpu0 wakes this many jiffies after boot and preempts the vCPU; 0 means it never does.</summary>
    public int PreemptAfterJiffies { get; init; }

    /// <summary>Statements of that kthread's work, each a jiffy long.</summary>
    public int PreemptWork { get; init; } = 2;

    /// <summary>The kthread is migration/0 and moves the preempted vCPU to this CPU; -1 means no migration.</summary>
    public int MigrateTo { get; init; } = -1;

    /// <summary>The longest stretch, in jiffies, in which rcuc cannot run on the vCPU's CPU: a softirq, or the FIFO kthread's work.</summary>
    public int RcucBlockedJiffies => Math.Max(Vcpu.SoftirqStatements, PreemptAfterJiffies > 0 ? PreemptWork : 0);

    private static IReadOnlyList<IReadOnlyList<ExitReason>> Run(params ExitReason[] exits) => [exits];

    /// <summary>The guest keeps running; MMIO exits and ticks bring it out and it re-enters.</summary>
    public static Scenario SteadyGuest { get; } = new() { Name = "SteadyGuest", Vcpu = new() { Runs = Run(ExitReason.Mmio) } };

    /// <summary>The guest executes HLT: kvm_vcpu_halt() polls once, then kvm_vcpu_block() -> schedule() -> idle, until its timer wakes it.</summary>
    public static Scenario GuestHlt { get; } = new() { Name = "GuestHlt", Vcpu = new() { Runs = Run(ExitReason.Hlt), HltWakeJiffies = 1, HaltPollStatements = 1 } };

    /// <summary>A SCHED_FIFO kthread preempts the vCPU in host mode, runs, and lets it re-enter.</summary>
    public static Scenario VcpuPreempted { get; } = new()
    {
        Name = "VcpuPreempted",
        Vcpu = new() { Runs = Run(ExitReason.Mmio) },
        PreemptAfterJiffies = 1,
    };

    /// <summary>Preempted as above by the stopper thread, which moves it to cpu1, where it re-enters the guest; cpu0 goes idle.</summary>
    public static Scenario VcpuMigrated { get; } = new()
    {
        Name = "VcpuMigrated",
        Cpus = 2,
        Vcpu = new() { Runs = Run(ExitReason.Mmio) },
        PreemptAfterJiffies = 1,
        MigrateTo = 1,
    };

    /// <summary>The VM shuts down: KVM_RUN returns for good and the thread exits through the kernel.</summary>
    public static Scenario VmTermination { get; } = new()
    {
        Name = "VmTermination",
        Vcpu = new() { Runs = Run(ExitReason.Mmio, ExitReason.Userspace), TerminateAfterLastRun = true },
    };

    /// <summary>KVM_RUN returns to the VMM, which handles the exit and calls KVM_RUN again.</summary>
    public static Scenario ExitToUserspace { get; } = new()
    {
        Name = "ExitToUserspace",
        Vcpu = new() { Runs = [[ExitReason.Userspace], []] },
    };

    /// <summary>A long softirq runs between the exit and the re-entry, with interrupts on.</summary>
    public static Scenario LongSoftirq { get; } = new()
    {
        Name = "LongSoftirq",
        Vcpu = new() { Runs = Run(ExitReason.Mmio), SoftirqStatements = 3 },
    };

    /// <summary>The workloads under SC: the statistics run these.</summary>
    public static IReadOnlyList<Scenario> All { get; } =
        [SteadyGuest, GuestHlt, VcpuPreempted, VcpuMigrated, VmTermination, ExitToUserspace, LongSoftirq];

    /// <summary>
    /// Under TSO and the LKMM approximation, where the FQS scan's read of ct->state could see an
    /// older counter than the CPU's own: the grace-period guarantee on a guest that keeps exiting
    /// into an RCU reader, and the vcpu_put-to-idle window of a guest HLT.
    /// </summary>
    public static IReadOnlyList<Scenario> MemoryModes { get; } =
    [
        SteadyGuest with { Name = "SteadyGuestTso", Memory = MemoryMode.Tso, Checks = [Property.GracePeriodGuarantee] },
        SteadyGuest with { Name = "SteadyGuestLkmm", Memory = MemoryMode.Lkmm, Checks = [Property.GracePeriodGuarantee] },
        GuestHlt with { Name = "GuestHltTso", Memory = MemoryMode.Tso, Checks = [Property.NoRcucWakeupEnteringIdle] },
        GuestHlt with { Name = "GuestHltLkmm", Memory = MemoryMode.Lkmm, Checks = [Property.NoRcucWakeupEnteringIdle] },
    ];

    /// <summary>Every scenario the verdict table has: <see cref="All"/>, then <see cref="MemoryModes"/>.</summary>
    public static IReadOnlyList<Scenario> Cells { get; } = [.. All, .. MemoryModes];
}
