using Verify;
using Verify.Actors;
using Verify.Kernel.Machine;
using Verify.Kernel.Memory;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Sync;

/// <summary>
/// Partial-order reduction (--por) on a kernel machine with a weak memory: a CPU step that is only
/// smp_mb() drains the TSO store buffer, so it is a shared step (<see cref="KernelState.Memory"/>)
/// and the reduced search finds what the full search finds. CPU 0 runs WRITE_ONCE(x, 1) (buffered
/// under TSO) with a plain shared flag, then smp_mb(); CPU 1 loads the flag and x in one step. Under
/// TSO CPU 1 can see the flag but x still 0 (between CPU 0's store and its smp_mb()); under SC never.
/// CPU 0's steps here are shared for other reasons too, so these tests guard the outcome the
/// reduction must keep, not the memory check in <c>CpuMachine.EndStep</c> on its own.
/// </summary>
public sealed class BarrierReductionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UnderTso_TheReducedSearch_FindsTheBufferedStore_AsTheFullSearchDoes(bool reduce)
    {
        TestReport report = Search(MemoryMode.Tso, reduce);

        Assert.Contains("x still 0", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UnderSc_NeitherSearchFindsIt(bool reduce)
    {
        TestReport report = Search(MemoryMode.Sc, reduce);

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    private static TestReport Search(MemoryMode mode, bool reduce)
    {
        Configuration config = Configuration.Create().WithStrategy("stateful-dfs", 0).WithRandomGeneratorSeed(0).WithPartialOrderReduction(reduce);
        var engine = TestingEngine.Create(config, r => Boot(r, mode));
        engine.Run();
        Assert.Null(engine.TestReport.Error);
        return engine.TestReport;
    }

    private static void Boot(IActorRuntime r, MemoryMode mode)
    {
        SharedMemory mem = SharedMemory.Boot(r, mode, 2);
        var shared = new Shared(mem.Declare("x"));
        var config = new KernelConfig { Cpus = 2, MaxTicks = 1 };
        KernelState k = TinyMachine.Boot(r, config, BeforeBoot, new StoreThenMb(mem, shared), new Observer(mem, shared, r));
        k.Memory = mem;

        // A tick has just passed: no step is shared for the tick's sake, only for its accesses.
        static void BeforeBoot(KernelState k)
        {
            foreach (CpuState c in k.cpus)
            {
                c.statements_since_tick = 0;
            }
        }
    }

    private sealed class Shared(Location x)
    {
        internal Location x { get; } = x;

        internal bool flag { get => Access.Shared(field); set => field = Access.Shared(value); }
    }

    /// <summary>CPU 0: WRITE_ONCE(x, 1) with flag = true, then smp_mb() alone in its step.</summary>
    private sealed class StoreThenMb(SharedMemory mem, Shared s) : TestTask("writer", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            mem.WriteOnce(0, s.x, 1);
            s.flag = true;
            yield return "WRITE_ONCE(x, 1); flag = true";
            mem.SmpMb(0);
            yield return "smp_mb()";
        }
    }

    /// <summary>CPU 1: flag, then READ_ONCE(x), in one step.</summary>
    private sealed class Observer(SharedMemory mem, Shared s, IActorRuntime r) : TestTask("observer", 1)
    {
        [NotHashed]
        private readonly IActorRuntime runtime = r;

        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            bool flag = s.flag;
            int x = mem.ReadOnce(1, s.x);
            runtime.Assert(!flag || x == 1, "flag set but x still 0");
            yield return $"flag = {flag}; READ_ONCE(x) = {x}";
        }
    }
}
