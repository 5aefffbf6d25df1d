namespace Verify.Protocols.Qpw;

/// <summary>The kernel's names for one caller's lock, data, functions and work, as traces show them.</summary>
internal sealed record CallerNames(
    string Lock,
    string Data,
    string FastPath,
    string Drain,
    string DrainAll,
    string Mutex,
    string Work,
    string Workqueue,
    string Syscall)
{
    internal static CallerNames Of(Caller caller) => caller switch
    {
        Caller.Lru => new("cpu_fbatches.lock", "cpu_fbatches.lru_add", "folio_add_lru", "lru_add_drain_cpu", "lru_add_drain_all", "lru_add_drain_all.lock", "lru_add_drain_work", "mm_percpu_wq", "read"),
        Caller.Memcg => new("memcg_stock.stock_lock", "memcg_stock", "refill_stock", "drain_local_stock", "drain_all_stock", "percpu_charge_mutex", "memcg_stock.work", "system_wq", "munmap"),
        _ => new("s->cpu_sheaves->lock", "s->cpu_sheaves", "free_to_pcs", "flush_cpu_sheaves", "flush_all_cpus_locked", "flush_lock", "slub_flush.work", "flushwq", "close"),
    };
}
