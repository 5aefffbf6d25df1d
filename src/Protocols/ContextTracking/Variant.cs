namespace Verify.Protocols.ContextTracking;

/// <summary>
/// The versions of context-tracking IPI deferral (Valentin Schneider et al.): how
/// ct_set_cpu_work() decides that a CPU's work can wait for its next kernel entry, and which
/// senders use it. None is in mainline; each is a posting to the kernel lists.
/// </summary>
public enum Variant
{
    /// <summary>
    /// Mainline without deferral, the control: text_poke_bp_batch() IPIs every CPU
    /// (on_each_cpu(do_sync_core)) three times, flush_tlb_kernel_range() IPIs every CPU; ct->state
    /// has no work bits and entry/exit are one atomic_add_return() each.
    /// </summary>
    NoDeferral,

    /// <summary>
    /// RFC v1, posted 2023-07-05 ("context_tracking,x86: Defer some IPIs until a user->kernel
    /// transition"): the work in a separate atomic of struct
    /// context_tracking; the setter reads the state and, seeing CT_STATE_USER, ORs the work in; entry
    /// takes the work with an atomic exchange after its atomic_add_return() (the extra atomic per
    /// entry). Text patching and kernel-range TLB flushes deferred, without forcing the IPI for
    /// noinstr sites (keys used there had to be __ro_after_init; context_tracking_key was not).
    /// </summary>
    RfcV1,

    /// <summary>
    /// RFC v1 with the cmpxchg loop Frederic Weisbecker sketched in its review (work bits in
    /// ct->state): for(;;) { old = (state &amp; ~CONTEXT_MASK) | CONTEXT_USER; new = old | work;
    /// state = atomic_cmpxchg(&amp;ct->state, old, new); if (state &amp; work) { ret = true; break; }
    /// if ((state &amp; CONTEXT_MASK) != CONTEXT_USER) break; }, with state first atomic_read().
    /// Entry and exit as RFC v2.
    /// </summary>
    RfcV1ReviewLoop,

    /// <summary>
    /// RFC v2, posted 2023-07-20: work bits squashed into
    /// ct->state with a 16-bit RCU watching counter; old = atomic_read(); while ((old &amp;
    /// (GUEST|USER|IDLE)) &amp;&amp; !ret) ret = atomic_try_cmpxchg(&amp;ct->state, &amp;old, old | work &lt;&lt;
    /// CT_WORK_START). Entry flushes the work bits of the value its atomic_add_return() returned;
    /// exit clears them with a cmpxchg loop. No forced IPI for noinstr sites.
    /// </summary>
    RfcV2,

    /// <summary>
    /// RFC v3, posted 2024-11-19: old = atomic_read(); do ret
    /// = atomic_try_cmpxchg(&amp;ct->state, &amp;old, old | work &lt;&lt; CT_WORK_START); while (!ret &amp;&amp;
    /// (old &amp; CT_STATE_MASK) != CT_STATE_KERNEL). text_poke_bp_batch() forces the IPI (cond NULL)
    /// when a site is in noinstr/entry text.
    /// </summary>
    RfcV3,

    /// <summary>
    /// v4, posted 2025-01 (the setter's shape as recorded from the archives, not cross-checked
    /// against the posting): old = atomic_read(); if (!(old &amp; (USER|GUEST))) { old
    /// &amp;= ~CT_STATE_MASK; old |= CT_STATE_USER; } do ret = atomic_try_cmpxchg(...) while (!ret
    /// &amp;&amp; (old &amp; CT_STATE_MASK) == CT_STATE_USER).
    /// </summary>
    V4,

    /// <summary>
    /// v5, posted 2025-04-29: the proxy for "in the kernel"
    /// becomes the CT_RCU_WATCHING bit: old = atomic_read(); old |= CT_RCU_WATCHING; do ret =
    /// atomic_try_cmpxchg(...) while (!ret &amp;&amp; !(old &amp; CT_RCU_WATCHING)). The vmap TLB-flush
    /// deferral is dropped: only text patching is deferred.
    /// </summary>
    V5,

    /// <summary>
    /// v6, posted 2025-10-10, 29 patches: v5's setter behind
    /// if (!ct->active) return false; kernel-range TLB flushes deferred again by a different
    /// mechanism (CONFIG_COALESCE_TLBI): entry on a nohz_full CPU switches to the kernel CR3, flushes
    /// the TLB unconditionally and sets kernel_cr3_loaded; exit clears it before switching to the
    /// user CR3; flush_tlb_kernel_range_deferrable() IPIs only housekeeping CPUs and CPUs whose
    /// kernel_cr3_loaded it reads as set.
    /// </summary>
    V6,

    /// <summary>
    /// v5 as its setter's comment and loop condition intend (not the text as posted): old &amp;=
    /// ~CT_RCU_WATCHING, so the cmpxchg expects the CPU outside the kernel and can only succeed
    /// against a CPU that is not watching. The posted text's old |= CT_RCU_WATCHING contradicts its
    /// own loop (which retries while !(old &amp; CT_RCU_WATCHING)); which one was meant is an open
    /// question about the posting's text.
    /// </summary>
    V5Intended,

    /// <summary>v6 as its setter's comment and loop condition intend: V6 with old &amp;= ~CT_RCU_WATCHING (see V5Intended).</summary>
    V6Intended,
}

/// <summary>What a variant's code does, per mechanism.</summary>
internal static class VariantCode
{
    /// <summary>Text patching defers sync_core() through ct_set_cpu_work().</summary>
    internal static bool DefersText(this Variant v) => v != Variant.NoDeferral;

    /// <summary>text_poke_bp_batch() passes cond NULL (IPI everyone) when a site is in noinstr/entry text.</summary>
    internal static bool ForcesIpiForNoinstr(this Variant v) => v is Variant.RfcV3 or Variant.V4 or Variant.V5 or Variant.V6 or Variant.V5Intended or Variant.V6Intended;

    /// <summary>flush_tlb_kernel_range() defers through a CT_WORK_TLBI bit (RFC v1 to v4).</summary>
    internal static bool DefersTlbByWorkBit(this Variant v) => v is Variant.RfcV1 or Variant.RfcV1ReviewLoop or Variant.RfcV2 or Variant.RfcV3 or Variant.V4;

    /// <summary>v6's CONFIG_COALESCE_TLBI: kernel_cr3_loaded, the entry flush and the deferrable kernel-range flush.</summary>
    internal static bool CoalesceTlbi(this Variant v) => v is Variant.V6 or Variant.V6Intended;

    /// <summary>v5's and v6's setter with old &amp;= ~CT_RCU_WATCHING (the intended reading).</summary>
    internal static bool ExpectsNotWatching(this Variant v) => v is Variant.V5Intended or Variant.V6Intended;

    /// <summary>The work lives in a separate atomic beside ct->state (RFC v1).</summary>
    internal static bool SeparateWorkAtomic(this Variant v) => v == Variant.RfcV1;

    /// <summary>Work bits inside ct->state: entry flushes them from atomic_add_return()'s value, exit clears them by cmpxchg.</summary>
    internal static bool WorkInState(this Variant v) => v is not (Variant.NoDeferral or Variant.RfcV1);
}
