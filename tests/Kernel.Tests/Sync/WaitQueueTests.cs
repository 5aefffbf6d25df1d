using Verify.Actors;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Sync;

/// <summary>
/// A wait queue wakes: a task in wait_event() on one CPU returns once another CPU sets the
/// condition and calls wake_up_all(), in every schedule; a waker that forgets the wake-up leaves it
/// asleep for good, which the hot <see cref="WaiterReturns"/> monitor reports. A per-CPU variable
/// touched from another CPU fails the step, naming it.
/// </summary>
public sealed class WaitQueueTests
{
    [Fact]
    public void WaitEvent_ReturnsOnceTheConditionIsSetAndTheQueueWoken_InEverySchedule()
    {
        TestReport report = TinyMachine.Exhaust(r => Waits(r, wakes: true));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void WithoutTheWakeUp_SomeScheduleLeavesTheWaiterAsleep()
    {
        TestReport report = TinyMachine.Exhaust(r => Waits(r, wakes: false));

        Assert.Contains("WaiterReturns", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APerCpuVariable_TouchedFromAnotherCpu_FailsTheStep_NamingIt()
    {
        var engine = TestingEngine.Create(
            Verify.Configuration.Create().WithStrategy("stateful-dfs", 0),
            r => TinyMachine.Boot(r, false, new Idler("idler", 0), new Rogue()));
        engine.Run();

        Assert.Contains("cpu1 touched cpu0's irqs_disabled, a per-CPU variable", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
    }

    private static void Waits(IActorRuntime r, bool wakes)
    {
        r.RegisterMonitor<WaiterReturns>();
        var wq = new WaitQueue("test_wq");
        var flag = new Flag();
        TinyMachine.Boot(r, false, new Waiter(wq, flag), new Waker(wq, flag, wakes));
    }

    /// <summary>The condition: a shared flag, read in the waiter's statement.</summary>
    private sealed class Flag : IWaitCondition
    {
        public bool set { get => Access.Shared(field); set => field = Access.Shared(value); }

        public bool IsTrue(KernelState k) => set;
    }

    private sealed class Waiter(WaitQueue wq, Flag flag) : TestTask("waiter", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            yield return Stmt.Call(wq.WaitEvent(k, this, flag, "waiter"));
            Specification.Monitor<WaiterReturns>(new WaiterReturns.Returned());
            yield return "wait_event() returned";
        }
    }

    private sealed class Waker(WaitQueue wq, Flag flag, bool wakes) : TestTask("waker", 1)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            flag.set = true;
            yield return "WRITE_ONCE(flag, 1)";
            if (wakes)
            {
                wq.WakeUpAll(k);
                yield return "wake_up_all(&test_wq)";
            }
        }
    }

    private sealed class Idler(string comm, int cpu) : TestTask(comm, cpu)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            yield return "nothing";
        }
    }

    /// <summary>Disables another CPU's interrupts, which no kernel code can do.</summary>
    private sealed class Rogue() : TestTask("rogue", 1)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            k.cpus[0].irqs_disabled = true;
            yield return "cpu0: local_irq_disable() from afar";
        }
    }

    /// <summary>Hot until the waiter's wait_event() has returned.</summary>
    private sealed class WaiterReturns : Monitor
    {
        internal sealed class Returned : Event
        {
        }

        [Start]
        [Hot]
        [OnEventGotoState(typeof(Returned), typeof(Done))]
        private sealed class Waiting : State
        {
        }

        [Cold]
        private sealed class Done : State
        {
        }
    }
}
