using Kernel.Tests.Sync;
using Verify;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Kernel.Work;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Work;

/// <summary>
/// Bound workqueues, each property checked in every schedule of a two-CPU machine: remote work
/// runs on the target CPU's kworker and wakes it there, flush_work() returns only after the
/// instance it found ran, PENDING makes a second queueing a no-op, a delayed work waits its jiffies.
/// </summary>
public sealed class WorkqueueTests
{
    [Fact]
    public void QueueWorkOn_RunsTheWorkOnTheTargetCpusKworker_AndFlushWaitsForIt()
    {
        TestReport report = Exhaust(new Drainer(twice: false));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void QueueWorkOn_WhilePending_ReturnsFalse_AndEverySuccessfulQueueingRunsOnce()
    {
        TestReport report = Exhaust(new Drainer(twice: true));

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void DelayedWork_RunsNoEarlierThanItsDelay()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var work = new Stamp();
            TinyMachine.Boot(r, new KernelConfig { Cpus = 2, MaxTicks = 2 }, k => Workqueues.Boot(k), new DelayedQueuer(work));
        });

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void WithoutFlushWork_TheCallerCanSeeTheWorkNotYetRun()
    {
        TestReport report = Exhaust(new Drainer(twice: false, flush: false));

        Assert.Contains("returned before", report.Bug?.Message, StringComparison.Ordinal);
    }

    private static TestReport Exhaust(Drainer drainer) =>
        TinyMachine.Exhaust(r => TinyMachine.Boot(r, new KernelConfig { Cpus = 2, MaxTicks = 1 }, k => Workqueues.Boot(k), drainer.Fresh()));

    /// <summary>Counts its executions and checks it runs on cpu1's kworker.</summary>
    private sealed class Drain() : WorkStruct("drain_work")
    {
        public int runs { get; set; }

        protected internal override IEnumerable<Stmt> Func(KernelState k, TaskStruct worker)
        {
            Specification.Assert(worker.cpu == 1 && k.cpus[1].curr == worker, "drain_work ran on cpu{0}, not on cpu1's kworker.", worker.cpu);
            runs++;
            yield return "drain_local_pages()";
        }
    }

    /// <summary>On cpu0: queue_work_on(1, ...) (twice if asked), then flush_work() and check the work ran as often as it was queued.</summary>
    private sealed class Drainer(bool twice, bool flush = true) : TestTask("drainer", 0)
    {
        private readonly Drain work = new();
        private int queued;

        /// <summary>A new task with the same script, for each iteration of the search.</summary>
        public Drainer Fresh() => new(twice, flush);

        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            bool first = Workqueues.QueueWorkOn(k, 1, work);
            queued += first ? 1 : 0;
            yield return $"queue_work_on(1, drain_work) = {first}";
            if (twice)
            {
                bool second = Workqueues.QueueWorkOn(k, 1, work);
                Specification.Assert(!second || !first || work.runs > 0 || work.running_on >= 0, "queue_work_on() queued a work item that was still pending.");
                queued += second ? 1 : 0;
                yield return $"queue_work_on(1, drain_work) = {second}";
            }

            if (flush)
            {
                yield return Stmt.Call(Workqueues.FlushWork(k, this, work));
            }

            Specification.Assert(work.runs == queued, "flush_work() returned before drain_work ran: {0} runs of {1} queued.", work.runs, queued);
            yield return "check";
        }
    }

    private sealed class Stamp() : DelayedWork("stamp")
    {
        public int queuedAt { get; set; }

        protected internal override IEnumerable<Stmt> Func(KernelState k, TaskStruct worker)
        {
            Specification.Assert(k.jiffies >= queuedAt + 1, "The delayed work ran at jiffies {0}, before its one-jiffy delay from {1}.", k.jiffies, queuedAt);
            yield return "stamp";
        }
    }

    private sealed class DelayedQueuer(Stamp work) : TestTask("queuer", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            work.queuedAt = k.jiffies;
            Workqueues.QueueDelayedWorkOn(k, 1, work, 1);
            yield return "queue_delayed_work_on(1, stamp, 1)";
        }
    }
}
