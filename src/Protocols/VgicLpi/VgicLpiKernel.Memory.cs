using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Kernel.Memory;
using Verify.Kernel.Sched;
using Verify.Specifications;

namespace Verify.Protocols.VgicLpi;

/// <summary>
/// RCU publication of a vgic_irq in the run's memory mode. The shared memory holds what a lockless
/// lookup loads: the pointer in each slot of lpi_xa and of the per-ITS translation cache (stored by
/// xas_store()'s rcu_assign_pointer(), loaded by xa_load()'s rcu_dereference()), and the words of
/// each vgic_irq that such a lookup reads through that pointer (irq->refcount, irq->intid), from
/// the kzalloc()'d zero and the initialising stores on. Locks stay outside the memory: what a
/// lock orders (the list of v6.7 and v6.8, xa_load() under xa_lock, ite->irq under its_lock) the
/// model reads from the objects themselves, which hold the newest value.
/// </summary>
public sealed partial class VgicLpiKernel
{
    /// <summary>The weak modes' bound: a TSO store buffer's size, how far behind an LKMM load may read.</summary>
    internal const int StaleStores = 3;

    /// <summary>The slots of lpi_xa the scenario can use, by INTID; declared at boot.</summary>
    [NotHashed]
    private readonly Dictionary<long, Location> lpiSlots = [];

    /// <summary>The slots of the per-ITS translation cache the scenario can use, by key.</summary>
    [NotHashed]
    private readonly Dictionary<long, Location> cacheSlots = [];

    /// <summary>
    /// The words of each vgic_irq by its pointer - 1: those of the LPIs at boot (named after them),
    /// then one set per vgic_irq the scenario may allocate (vgic_irq@N, N its pointer's value).
    /// </summary>
    [NotHashed]
    private readonly List<IrqWords> words = [];

    /// <summary>its->its_lock's word (0 free, 1 held): its handovers order what one holder stored before what the next loads.</summary>
    [NotHashed]
    private Location? itsLockWord;

    /// <summary>The vgic_irqs by pointer - 1, in the order they were registered (at boot, then when vgic_add_lpi() initialises them).</summary>
    private readonly List<VgicIrq> irqs = [];

    /// <summary>A vgic_irq gets its pointer value: at boot, and when vgic_add_lpi() initialises it (after kzalloc(); from v6.9 on after xa_reserve_irq()).</summary>
    internal void Register(VgicIrq irq)
    {
        irqs.Add(irq);
        irq.pointer = irqs.Count;
        if (words.Count > 0 && irq.pointer > words.Count)
        {
            throw new InvalidOperationException($"Model bug: {irq} is the vgic_irq number {irq.pointer} of the run, but the memory was declared for {words.Count}. Count every vgic_irq the scenario may allocate in DeclareMemory().");
        }
    }

    /// <summary>
    /// Declares the memory at boot, after the LPIs at boot are populated: their words hold their
    /// values, each slot the pointer it holds; <paramref name="fresh"/> more sets of words for the
    /// vgic_irqs kzalloc() may return, zeroed; and the slots of <paramref name="intids"/> and of the
    /// cache keys <paramref name="cacheKeys"/>. Then every store into lpi_xa or the cache is mirrored.
    /// </summary>
    internal void DeclareMemory(IEnumerable<long> intids, IEnumerable<long> cacheKeys, int fresh)
    {
        foreach (VgicIrq irq in irqs)
        {
            words.Add(new IrqWords(mem.Declare($"{irq}->refcount", irq.refcount.Read()), mem.Declare($"{irq}->intid", irq.intid)));
        }

        for (int i = 0; i < fresh; i++)
        {
            int pointer = words.Count + 1;
            words.Add(new IrqWords(mem.Declare($"vgic_irq@{pointer}->refcount"), mem.Declare($"vgic_irq@{pointer}->intid")));
        }

        foreach (long intid in intids.Distinct().Order())
        {
            lpiSlots[intid] = mem.Declare($"lpi_xa[{intid}]", dist.lpi_xa.XaLoad(intid)?.pointer ?? 0);
        }

        if (V.PerItsCache())
        {
            foreach (long key in cacheKeys.Distinct().Order())
            {
                cacheSlots[key] = mem.Declare($"its->translation_cache[{key}]", its.translation_cache.XaLoad(key)?.pointer ?? 0);
            }
        }

        itsLockWord = mem.Declare("its->its_lock");
        dist.lpi_xa.Stored = (t, index, entry) => XasStore(t, lpiSlots, dist.lpi_xa, index, entry);
        its.translation_cache.Stored = (t, index, entry) => XasStore(t, cacheSlots, its.translation_cache, index, entry);
    }

    /// <summary>
    /// xas_store()'s rcu_assign_pointer(*slot, entry): a release, so a lookup that reads the pointer
    /// sees the stores that initialised the vgic_irq before it. The publication mutant stores it
    /// with a plain WRITE_ONCE(), which orders nothing.
    /// </summary>
    private void XasStore(TaskStruct t, Dictionary<long, Location> slots, XArray<VgicIrq> xa, long index, VgicIrq? entry)
    {
        Location slot = Slot(slots, xa, index);
        int pointer = entry?.pointer ?? 0;
        if (P.MutantPublishWithWriteOnce && entry is not null)
        {
            mem.WriteOnce(t.cpu, slot, pointer);
            return;
        }

        mem.RcuAssignPointer(t.cpu, slot, pointer);
    }

    /// <summary>
    /// xa_load() under rcu_read_lock(): rcu_dereference() of the slot, whose value the later loads
    /// through the pointer depend on (<paramref name="dep"/>). Under SC it must be what the xarray holds.
    /// </summary>
    internal VgicIrq? XaLoadRcu(TaskStruct t, XArray<VgicIrq> xa, long index, out Dependency dep)
    {
        VgicIrq? newest = xa.XaLoad(index);
        Location slot = Slot(xa == dist.lpi_xa ? lpiSlots : cacheSlots, xa, index);
        int pointer = mem.RcuDereference(t.cpu, slot, out dep);
        VgicIrq? irq = pointer == 0 ? null : irqs[pointer - 1];
        if (mem.Mode == MemoryMode.Sc && irq != newest)
        {
            throw new InvalidOperationException($"Model bug: {slot} holds {irq?.ToString() ?? "NULL"} in memory but {newest?.ToString() ?? "NULL"} in {xa}; a store into the xarray was not mirrored.");
        }

        return irq;
    }

    /// <summary>
    /// vgic_try_get_irq_kref() on a pointer from a lockless lookup: kref_get_unless_zero(), that is
    /// refcount_inc_not_zero(), whose first refcount_read() loads the count through the pointer
    /// (ordered after it by <paramref name="dep"/>). A zero there ends it: the LPI looks dead. A
    /// nonzero value leads to the atomic_try_cmpxchg_relaxed() loop, which succeeds only on the
    /// newest count (a successful read-modify-write reads the last store before its own), so the
    /// model takes it on the object's count, which holds that value.
    /// </summary>
    internal bool VgicTryGetIrqKref(TaskStruct t, VgicIrq? irq, Dependency dep)
    {
        if (irq is null)
        {
            return false;
        }

        int seen = mem.ReadOnce(t.cpu, Words(irq).refcount, dep);
        if (seen != 0)
        {
            return irq.refcount.GetUnlessZero(k);
        }

        int count = irq.refcount.Read();
        if (count != 0 && mem.Mode == MemoryMode.Sc)
        {
            throw new InvalidOperationException($"Model bug: {irq}'s count is {count} but its word in memory reads 0 under SC.");
        }

        k.Observe(new LpiFieldRead(t.comm, irq.name, "refcount", seen, count));
        return false;
    }

    /// <summary>A load of irq->intid through a pointer a lookup returned: through memory after an RCU lookup, from the object after a locked one.</summary>
    internal int ReadIntid(TaskStruct t, VgicIrq irq, Lookup how)
    {
        int intid = irq.intid;
        int seen = how.Rcu ? mem.ReadOnce(t.cpu, Words(irq).intid, how.Dep) : intid;
        k.Observe(new LpiFieldRead(t.comm, irq.name, "intid", seen, intid));
        return seen;
    }

    /// <summary>
    /// mutex_lock(&amp;its->its_lock) or mutex_unlock() (<paramref name="op"/>), with the lock word
    /// in memory changing hands in the step the lock does: an acquire read-modify-write when it is
    /// taken, a release one when it is dropped (mutex_lock()'s atomic_long_try_cmpxchg_acquire() and
    /// mutex_unlock()'s release; locked instructions on x86). Every store to the word is a
    /// read-modify-write, so each one reads the newest and the handover needs no choice. So the
    /// slow injection, which finds a new vgic_irq through ite->irq under its_lock, publishes it into
    /// the translation cache with MAPTI's initialising stores in its view, as the kernel's lock
    /// ordering gives.
    /// </summary>
    private IEnumerable<Stmt> ItsLockInMemory(TaskStruct t, IEnumerable<Stmt> op, bool acquire)
    {
        bool handedOver = false;
        foreach (Stmt s in op)
        {
            if (!handedOver && its.its_lock.IsHeldBy(t) == acquire)
            {
                handedOver = true;
                if (acquire)
                {
                    mem.XchgAcquire(t.cpu, itsLockWord!, 1);
                }
                else
                {
                    mem.XchgRelease(t.cpu, itsLockWord!, 0);
                }
            }

            yield return s;
        }
    }

    private IrqWords Words(VgicIrq irq) =>
        irq.pointer > 0 && irq.pointer <= words.Count ? words[irq.pointer - 1]
            : throw new InvalidOperationException($"Model bug: {irq} has no words in the memory (pointer {irq.pointer}); register it when it is allocated.");

    private static Location Slot(Dictionary<long, Location> slots, XArray<VgicIrq> xa, long index) =>
        slots.TryGetValue(index, out Location? slot) ? slot
            : throw new InvalidOperationException($"Model bug: {xa}[{index}] has no slot in the memory; declare every index the scenario uses in DeclareMemory().");
}
