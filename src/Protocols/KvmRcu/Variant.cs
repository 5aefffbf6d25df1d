using Verify.Kernel.Machine;

namespace Verify.Protocols.KvmRcu;

/// <summary>The designs discussed upstream for keeping rcuc off a nohz_full CPU that runs a vCPU.</summary>
public enum Variant
{
    /// <summary>Before 2024 (v6.10 and earlier): no QS on guest exit, no heuristic.</summary>
    Baseline,

    /// <summary>Leonardo Bras, RFC v1 (2024-03-28): kvm_last_guest_exit = jiffies on guest exit; rcu_recent_guest_exit() in rcu_pending().</summary>
    A,

    /// <summary>Marcelo Tosatti (2024-04-15): A, plus kvm_last_guest_exit = 0 in vcpu_load() and vcpu_put().</summary>
    B,

    /// <summary>B, plus zeroing in kvm_sched_out() (Sean Christopherson's review of B).</summary>
    BPlus,

    /// <summary>Sean Christopherson (2024-04-05): in_guest_run_loop set in vcpu_load(), cleared in vcpu_put() when wants_to_run (a6816314af57).</summary>
    C,

    /// <summary>C, plus kvm_sched_in()/kvm_sched_out() setting and clearing the flag.</summary>
    CPlus,

    /// <summary>Merged 593377036e50 "kvm: Note an RCU quiescent state on guest exit" (v6.11-rc7) on a nohz_full CPU, where context tracking is on and the new QS is skipped.</summary>
    M,

    /// <summary>593377036e50 on the CPU it targets: not nohz_full, so context tracking of guest mode is off and the QS on guest exit is noted.</summary>
    MNotNohzFull,

    /// <summary>Baseline on the CPU 593377036e50 targets (not nohz_full): what MNotNohzFull changes.</summary>
    BaselineNotNohzFull,

    /// <summary>M plus 68d124b09999 "rcu: Add rcutree.nohz_full_patience_delay" (v6.11).</summary>
    MPatience,
}

internal static class VariantKernel
{
    internal static KernelConfig Configure(this Variant v, KernelConfig baseConfig, int patienceJiffies) => baseConfig with
    {
        NohzFull = v is not (Variant.MNotNohzFull or Variant.BaselineNotNohzFull),
        NohzFullPatienceDelayJiffies = v == Variant.MPatience ? patienceJiffies : 0,
    };

    internal static bool QsOnGuestExit(this Variant v) => v is Variant.M or Variant.MNotNohzFull or Variant.MPatience;

    internal static bool ZeroesOnLoadPut(this Variant v) => v is Variant.B or Variant.BPlus;

    internal static bool WritesLastGuestExit(this Variant v) => v is Variant.A or Variant.B or Variant.BPlus;

    internal static bool UsesRunLoopFlag(this Variant v) => v is Variant.C or Variant.CPlus;
}
