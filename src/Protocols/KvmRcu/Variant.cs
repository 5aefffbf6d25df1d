using Verify.Protocols.Kernel;

namespace Verify.Protocols.KvmRcu;

/// <summary>The designs discussed upstream for keeping rcuc off a nohz_full CPU that runs a vCPU (KERNEL.md section 3.2).</summary>
public enum Variant
{
    /// <summary>Before 2024: no QS on guest exit, no heuristic.</summary>
    Baseline,

    /// <summary>Bras RFC v1: kvm_last_guest_exit = jiffies on guest exit; rcu_recent_guest_exit() in rcu_pending().</summary>
    A,

    /// <summary>Tosatti: A, plus kvm_last_guest_exit = 0 in vcpu_load() and vcpu_put().</summary>
    B,

    /// <summary>B, plus zeroing in kvm_sched_out() (Sean's remark).</summary>
    BPlus,

    /// <summary>Christopherson: in_guest_run_loop set in vcpu_load(), cleared in vcpu_put() when wants_to_run.</summary>
    C,

    /// <summary>C, plus kvm_sched_in()/kvm_sched_out() setting and clearing the flag.</summary>
    CPlus,

    /// <summary>Merged 593377036e50: note a QS on guest exit; context tracking on (nohz_full).</summary>
    M,

    /// <summary>593377036e50 on a CPU without context tracking: guest mode is not an EQS there.</summary>
    MNoContextTracking,

    /// <summary>M plus 68d124b09999 rcutree.nohz_full_patience_delay.</summary>
    MPatience,
}

internal static class VariantKernel
{
    internal static KernelConfig Configure(this Variant v, KernelConfig baseConfig, int patienceJiffies) => baseConfig with
    {
        Heuristic = v switch
        {
            Variant.A or Variant.B or Variant.BPlus => KvmRcuHeuristic.RecentGuestExit,
            Variant.C or Variant.CPlus => KvmRcuHeuristic.InGuestRunLoop,
            _ => KvmRcuHeuristic.None,
        },
        QsOnGuestExit = v is Variant.M or Variant.MNoContextTracking or Variant.MPatience,
        ContextTracking = v != Variant.MNoContextTracking,
        NohzFullPatienceDelayJiffies = v == Variant.MPatience ? patienceJiffies : 0,
    };

    internal static bool ZeroesOnLoadPut(this Variant v) => v is Variant.B or Variant.BPlus;

    internal static bool WritesLastGuestExit(this Variant v) => v is Variant.A or Variant.B or Variant.BPlus;

    internal static bool UsesRunLoopFlag(this Variant v) => v is Variant.C or Variant.CPlus;
}
