using Verify.Kernel.Machine;
using Verify.Kernel.Memory;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Sync;

/// <summary>
/// KCSAN's <c>ASSERT_EXCLUSIVE_WRITER(var)</c>: the caller claims to be the only writer of
/// <c>var</c> for the access that follows. KCSAN arms a watchpoint on it; a write by another
/// context while the watch is armed is reported ("BUG: KCSAN: assert: race in ..."). Here the watch
/// is open from the assert to the asserting task's next store of the variable (the update it
/// guards), and any other task's store in between is a report, observed as <see cref="KcsanReport"/>:
/// KCSAN prints a splat and the kernel goes on, so a monitor decides what the report means. KCSAN
/// arms its watchpoints on a sample of accesses and keeps them briefly; the model arms one on every
/// assert and keeps it until the update, so it reports every race a kernel with KCSAN could.
/// </summary>
public static class ExclusiveWriter
{
    /// <summary>ASSERT_EXCLUSIVE_WRITER(<paramref name="v"/>) by <paramref name="t"/> in <paramref name="where"/>: part of the caller's step.</summary>
    public static void Assert(PlainVar v, TaskStruct t, string where) => v.exclusive_watches.Add((t, where));

    /// <summary>A store by <paramref name="t"/>: a report for each other task's open watch on the variable.</summary>
    internal static void CheckStore(KernelState k, PlainVar v, TaskStruct t, string where)
    {
        foreach ((TaskStruct watcher, string asserted) in v.exclusive_watches)
        {
            if (watcher != t)
            {
                k.Observe(new KcsanReport(
                    $"BUG: KCSAN: assert: race in {asserted}: {t.comm} on cpu{t.cpu} wrote {v.name} in {where} while {watcher.comm} on cpu{watcher.cpu} asserted it the exclusive writer (ASSERT_EXCLUSIVE_WRITER({v.name}))."));
            }
        }
    }
}
