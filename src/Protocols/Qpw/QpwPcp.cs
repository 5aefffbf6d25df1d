using Verify.Kernel.Machine;

namespace Verify.Protocols.Qpw;

/// <summary>
/// D[c]: one CPU's cache of the caller (a folio batch, the memcg charge stock, a SLUB sheaf), as
/// the count of items it holds, and FLUSHING_CACHED_CHARGE for memcg. Every CPU may read and write
/// it (remote drainers do), so each access is shared. <c>added</c> and <c>drained</c> are the
/// monitors' ledger, not kernel state: they count what the fast path put in and drains took out.
/// </summary>
public sealed class QpwPcp(int cpu)
{
    public int cpu { get; } = cpu;

    /// <summary>folio_batch_count(), stock->nr_pages, the sheaf's size.</summary>
    public int nr { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>FLUSHING_CACHED_CHARGE in stock->flags.</summary>
    public bool flushing { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>Items ever added (the ledger).</summary>
    public int added { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>Items ever drained (the ledger).</summary>
    public int drained { get => Access.Shared(field); set => field = Access.Shared(value); }
}
