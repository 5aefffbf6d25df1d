using Kernel.Tests.Sync;
using Verify.Actors;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Substrate;

/// <summary>
/// Housekeeping CPUs (<see cref="KernelConfig.HousekeepingCpus"/>): kthreads bound to different
/// ones interleave statement by statement; kthreads of one run in priority order until they
/// sleep; a kthread on any of them is woken by the timekeeper's tick, and by a mutex release on
/// another; a report names the kthread of the housekeeping CPU whose step made it. Each test
/// searches every schedule of a machine with one idle modelled CPU, so it is a proof within its
/// bound; the incrementers' <see cref="BothFinish"/> monitor stays hot until both have finished, so
/// a schedule that leaves one asleep for good (a lost wakeup) fails as a liveness bug.
/// </summary>
public sealed class HousekeepingCpuTests
{
    [Fact]
    public void KthreadsOnTwoHousekeepingCpus_Interleave_SoAPlainIncrementCanBeLost()
    {
        TestReport report = TinyMachine.Exhaust(r => Increments(r, secondCpu: 1, mutex: null));

        Assert.Contains("lost an increment", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KthreadsOfOneHousekeepingCpu_DoNotInterleave_SoNoIncrementIsLost()
    {
        TestReport report = TinyMachine.Exhaust(r => Increments(r, secondCpu: 0, mutex: null));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void AMutex_ExcludesKthreadsOfTwoHousekeepingCpus()
    {
        TestReport report = TinyMachine.Exhaust(r => Increments(r, secondCpu: 1, mutex: new KernelLock(new LockClass("test_mutex", LockKind.Mutex), "test_mutex")));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void AMutex_ExcludesKthreadsOfOneHousekeepingCpu_WhenTheHolderSleepsInside()
    {
        TestReport report = TinyMachine.Exhaust(r => Increments(r, secondCpu: 0, mutex: new KernelLock(new LockClass("test_mutex", LockKind.Mutex), "test_mutex"), sleepInside: true));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void WithoutTheMutex_AHolderSleepingInside_LetsTheOtherKthreadOfItsCpuIn()
    {
        TestReport report = TinyMachine.Exhaust(r => Increments(r, secondCpu: 0, mutex: null, sleepInside: true));

        Assert.Contains("lost an increment", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AReport_NamesTheKthreadOfTheHousekeepingCpuWhoseStepMadeIt()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var k = new KernelState(new KernelConfig { Cpus = 1, MaxTicks = 1, HousekeepingCpus = 2 }, r);
            k.Boot(new Spinner(), new NullDereferencer(KernelState.HousekeepingCpuId(1)));
        });

        Assert.Contains("by task b on housekeeping CPU 1", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKthreadOnTheSecondHousekeepingCpu_SleepingInScheduleTimeout_IsWokenByTheTick()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var k = new KernelState(new KernelConfig { Cpus = 1, MaxTicks = 2, HousekeepingCpus = 2 }, r);
            k.Boot(new Sleeper(KernelState.HousekeepingCpuId(1)));
        });

        // Reaching the statement after the sleep is the assertion that fails.
        Assert.Contains("sleeper woken 1 jiffy after it slept", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Boot_RejectsAKthreadOnAHousekeepingCpuTheMachineLacks(int cpu)
    {
        var engine = TestingEngine.Create(
            Verify.Configuration.Create().WithStrategy("stateful-dfs", 0),
            r => new KernelState(new KernelConfig { Cpus = 1, HousekeepingCpus = 2 }, r).Boot(new Sleeper(cpu)));
        engine.Run();

        Assert.Contains("is a housekeeping kthread on CPU", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A housekeeping CPU has no interrupts, guest, user space, spinning or rate model: a kthread
    /// there that halts, runs a guest or user space, spins or does long work is a model error that
    /// names the statement, not a plain statement run silently.
    /// </summary>
    [Theory]
    [InlineData(StmtKind.Halt)]
    [InlineData(StmtKind.RunGuest)]
    [InlineData(StmtKind.RunUser)]
    [InlineData(StmtKind.Spin)]
    [InlineData(StmtKind.LongWork)]
    public void AHousekeepingCpu_RejectsAStatementKindItCannotRun(StmtKind kind)
    {
        var engine = TestingEngine.Create(
            Verify.Configuration.Create().WithStrategy("stateful-dfs", 0),
            r => new KernelState(new KernelConfig { Cpus = 1, MaxTicks = 1 }, r).Boot(new OneStatement(kind)));
        engine.Run();

        Assert.Contains($"`unhonoured` is a {kind} statement, which a housekeeping CPU cannot run", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Kthread a on the timekeeper, b on housekeeping CPU <paramref name="secondCpu"/>; each increments
    /// the counter once, sleeping a jiffy between its load and its store if <paramref name="sleepInside"/>.
    /// </summary>
    private static void Increments(IActorRuntime r, int secondCpu, KernelLock? mutex, bool sleepInside = false)
    {
        r.RegisterMonitor<BothFinish>();
        var k = new KernelState(new KernelConfig { Cpus = 1, MaxTicks = 2, HousekeepingCpus = 2 }, r);
        var counter = new Counter();
        k.Boot(
            new Incrementer("a", KernelState.HousekeepingCpuId(0), counter, mutex, sleepInside),
            new Incrementer("b", KernelState.HousekeepingCpuId(secondCpu), counter, mutex, sleepInside));
    }

    /// <summary>counter++ as a load and a store (under the mutex if given); the second to finish checks the total.</summary>
    private sealed class Incrementer(string comm, int cpu, Counter counter, KernelLock? mutex, bool sleepInside) : TaskStruct(comm, schedFifo: false, cpu)
    {
        protected internal override IEnumerable<Stmt> Body(KernelState k)
        {
            if (mutex is not null)
            {
                yield return Stmt.Call(Locking.Lock(k, this, mutex));
            }

            int v = counter.value;
            yield return $"tmp = counter ({v})";
            if (sleepInside)
            {
                yield return Stmt.Call(ScheduleTimeout(k, 1));
            }

            counter.value = v + 1;
            yield return $"counter = tmp + 1 ({v + 1})";
            if (mutex is not null)
            {
                yield return Stmt.Call(Locking.Unlock(k, this, mutex));
            }

            counter.finished++;
            Specification.Assert(counter.finished < 2 || counter.value == 2, "The counter lost an increment: {0} after two.", counter.value);
            Specification.Monitor<BothFinish>(new BothFinish.Finished());
            yield return "done";
        }
    }

    /// <summary>Hot until both incrementers have finished: a run that ends with one still asleep is a liveness bug.</summary>
    private sealed class BothFinish : Monitor
    {
        private int finished;

        internal sealed class Finished : Event
        {
        }

        [Start]
        [Hot]
        [OnEventDoAction(typeof(Finished), nameof(OnFinished))]
        private sealed class Waiting : State
        {
        }

        [Cold]
        private sealed class Done : State
        {
        }

        private void OnFinished()
        {
            if (++finished == 2)
            {
                RaiseGotoStateEvent<Done>();
            }
        }
    }

    /// <summary>A kthread on the timekeeper that never sleeps: the first runnable housekeeping kthread in every step.</summary>
    private sealed class Spinner() : TaskStruct("a", schedFifo: false, cpu: -1)
    {
        protected internal override IEnumerable<Stmt> Body(KernelState k)
        {
            while (true)
            {
                yield return "cpu_relax()";
            }
        }
    }

    /// <summary>Dereferences a NULL pointer: the oops names the task and CPU of the step.</summary>
    private sealed class NullDereferencer(int cpu) : TaskStruct("b", schedFifo: false, cpu)
    {
        protected internal override IEnumerable<Stmt> Body(KernelState k)
        {
            Verify.Kernel.Lifetime.Kasan.Deref<Counter>(k, null, "p->value");
            yield return "p->value";
        }
    }

    /// <summary>schedule_timeout(1), then the assertion that shows it returned.</summary>
    private sealed class Sleeper(int cpu) : TaskStruct("sleeper", schedFifo: false, cpu)
    {
        protected internal override IEnumerable<Stmt> Body(KernelState k)
        {
            int slept = k.jiffies;
            yield return Stmt.Call(ScheduleTimeout(k, 1));
            Specification.Assert(false, "{0} woken {1} jiffy after it slept", comm, k.jiffies - slept);
            yield return "after schedule_timeout()";
        }
    }
    /// <summary>A kthread on the timekeeper whose one statement is of <paramref name="kind"/>.</summary>
    private sealed class OneStatement(StmtKind kind) : TaskStruct("one", schedFifo: false, KernelState.HousekeepingCpuId(0))
    {
        protected internal override IEnumerable<Stmt> Body(KernelState k)
        {
            yield return kind switch
            {
                StmtKind.Halt => Stmt.Halt("unhonoured"),
                StmtKind.RunGuest => Stmt.RunGuest("unhonoured"),
                StmtKind.RunUser => Stmt.RunUser("unhonoured"),
                StmtKind.Spin => Stmt.Spin("unhonoured"),
                _ => Stmt.LongWork("unhonoured"),
            };
        }
    }
}
