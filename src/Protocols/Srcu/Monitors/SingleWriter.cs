using Verify.Actors;
using Verify.Kernel.Memory;
using Verify.Kernel.Sync;
using Verify.Specifications;

namespace Verify.Protocols.Srcu.Monitors;

/// <summary>
/// P-SR-S2: srcu_n_exp_nodelay and reschedule_count have a single writer at a time. A task's
/// read-modify-write of one (READ_ONCE, then WRITE_ONCE of a value computed from it) must see no other
/// task's store between its load and its store; otherwise one of the two updates is lost. A KCSAN
/// report from the version's own ASSERT_EXCLUSIVE_WRITER() is the same violation as the kernel could
/// report it (the model's watch is armed on every assert; KCSAN samples its watchpoints, so a real
/// kernel reports a given race only sometimes).
/// </summary>
public sealed class SingleWriter : Monitor
{
    private static readonly string[] Watched = ["srcu_n_exp_nodelay", "reschedule_count"];

    // (variable, task) -> the number of stores to the variable when the task last loaded it.
    private readonly Dictionary<(string, string), (int Stores, string Where)> loads = [];

    // variable -> stores so far, and the last one's task and code.
    private readonly Dictionary<string, (int Count, string Task, int Cpu, string Where)> stores = [];

    [Start]
    [OnEventDoAction(typeof(PlainAccessed), nameof(OnAccess))]
    [OnEventDoAction(typeof(KcsanReport), nameof(OnKcsan))]
    [IgnoreEvents(typeof(WildCardEvent))]
    private sealed class Watching : State
    {
    }

    // The version's own ASSERT_EXCLUSIVE_WRITER() (c8c3ae83e0bb on) saw the concurrent write first.
    private void OnKcsan(Event e) => Assert(false, "P-SR-S2: {0}", ((KcsanReport)e).Message);

    private void OnAccess(Event e)
    {
        var a = (PlainAccessed)e;
        if (!Watched.Contains(a.Variable))
        {
            return;
        }

        stores.TryGetValue(a.Variable, out (int Count, string Task, int Cpu, string Where) last);
        if (!a.Store)
        {
            loads[(a.Variable, a.Task)] = (last.Count, a.Where);
            return;
        }

        if (a.Rmw && loads.TryGetValue((a.Variable, a.Task), out (int Stores, string Where) load) && last.Count != load.Stores)
        {
            Assert(false,
                "P-SR-S2: {0} on cpu{1} stored {2} = {3} in {4}, computed from its load in {5}, but {6} on cpu{7} stored {2} in {8} in between: one update of {2} is lost (two writers at once).",
                a.Task, a.Cpu, a.Variable, a.Value, a.Where, load.Where, last.Task, last.Cpu, last.Where);
        }

        loads.Remove((a.Variable, a.Task));
        stores[a.Variable] = (last.Count + 1, a.Task, a.Cpu, a.Where);
    }
}
