using Verify;
using Verify.Actors;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.SystematicTesting;

namespace Kernel.Tests.Sync;

/// <summary>A machine of one or two CPUs, each running one test task, searched exhaustively: a test on it is a proof within its bound.</summary>
internal static class TinyMachine
{
    /// <summary>Boots CPUs running <paramref name="tasks"/> (one each), one jiffy of time, no RCU work.</summary>
    internal static KernelState Boot(IActorRuntime r, bool preemptRt, params TaskStruct[] tasks) =>
        Boot(r, new KernelConfig { Cpus = tasks.Length, MaxTicks = 1, PreemptRt = preemptRt }, null, tasks);

    /// <summary>As <see cref="Boot(IActorRuntime, bool, TaskStruct[])"/> without PREEMPT_RT, with CONFIG_PROVE_LOCKING.</summary>
    internal static KernelState BootProving(IActorRuntime r, params TaskStruct[] tasks) =>
        Boot(r, new KernelConfig { Cpus = tasks.Length, MaxTicks = 1, ProveLocking = true }, null, tasks);

    /// <summary>
    /// Boots <paramref name="config"/>'s CPUs, the first ones running <paramref name="tasks"/> and the
    /// rest idle; <paramref name="beforeBoot"/> may add substrate pieces (workqueues) first.
    /// </summary>
    internal static KernelState Boot(IActorRuntime r, KernelConfig config, Action<KernelState>? beforeBoot, params TaskStruct[] tasks)
    {
        var k = new KernelState(config, r);
        for (int i = 0; i < tasks.Length; i++)
        {
            k.SetCurrent(k.cpus[i], tasks[i]);
        }

        beforeBoot?.Invoke(k);
        k.Boot();
        return k;
    }

    /// <summary>Every schedule of the test, by stateful depth-first search to exhaustion (or the first bug).</summary>
    internal static TestReport Exhaust(Action<IActorRuntime> test)
    {
        var engine = TestingEngine.Create(Configuration.Create().WithStrategy("stateful-dfs", 0).WithRandomGeneratorSeed(0), test);
        engine.Run();
        Xunit.Assert.Null(engine.TestReport.Error);
        return engine.TestReport;
    }
}

/// <summary>A test task: its body, then do_task_dead().</summary>
internal abstract class TestTask(string comm, int cpu, bool fifo = false) : TaskStruct(comm, fifo, cpu)
{
    protected abstract IEnumerable<Stmt> Run(KernelState k);

    protected internal override IEnumerable<Stmt> Body(KernelState k)
    {
        yield return Stmt.Call(Run(k));
        state = TaskState.Dead;
        yield return Stmt.Call(Scheduler.Schedule(k, this, SchedMode.Voluntary, "do_task_dead"));
    }
}

/// <summary>A shared counter incremented as a plain read-modify-write: a load step and a store step.</summary>
internal sealed class Counter
{
    public int value { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>Tasks that have finished their increment.</summary>
    public int finished { get => Access.Shared(field); set => field = Access.Shared(value); }
}
