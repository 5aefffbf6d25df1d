using Verify.Actors;
using Verify.Kernel.Lifetime;
using Verify.Kernel.Machine;
using Verify.Kernel.Sync;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Sync;

/// <summary>
/// lockdep's circular-dependency check as litmus tests, each searched exhaustively: the order in
/// which classes are nested is the bug, whether or not the schedule that ran deadlocked. AB-BA across
/// two tasks that never overlap is reported; a chain A -> B -> C closed by C -> A is reported with
/// the chain; one consistent order is never reported; a trylock adds no dependency towards the lock
/// it takes, but a lock taken under a trylocked one does; observed, the report is an observation.
/// </summary>
public sealed class LockOrderTests
{
    private static readonly LockClass A = new("&a->lock", LockKind.Spinlock);
    private static readonly LockClass B = new("&b->lock", LockKind.Spinlock);
    private static readonly LockClass C = new("&c->lock", LockKind.Spinlock);

    [Fact]
    public void AbBa_AcrossTwoTasks_IsReported_EvenWhenTheyNeverOverlap()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var a = new KernelLock(A, "a->lock");
            var b = new KernelLock(B, "b->lock");
            var done = new Counter();

            // The second task waits for the first to finish: no schedule deadlocks.
            TinyMachine.BootProving(r, new Nester("first", 0, [a, b], done, waitFor: 0), new Nester("second", 1, [b, a], done, waitFor: 1));
        });

        Assert.Equal(
            "WARNING: possible circular locking dependency detected: second is trying to acquire a->lock (&a->lock) while holding b->lock (&b->lock); the existing dependency chain is &a->lock -> &b->lock, so &b->lock -> &a->lock closes a cycle.",
            report.Bug?.Message);
    }

    [Fact]
    public void AbBa_WithoutProveLocking_IsNotChecked_AndLeavesNoGraph()
    {
        KernelState? kernel = null;
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var a = new KernelLock(A, "a->lock");
            var b = new KernelLock(B, "b->lock");
            var done = new Counter();
            kernel = TinyMachine.Boot(r, false, new Nester("first", 0, [a, b], done, waitFor: 0), new Nester("second", 1, [b, a], done, waitFor: 1));
        });

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
        Assert.Null(kernel!.lockdep);
    }

    [Fact]
    public void AChainClosedByItsLastClass_IsReported_WithTheChain()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var a = new KernelLock(A, "a->lock");
            var b = new KernelLock(B, "b->lock");
            var c = new KernelLock(C, "c->lock");
            var done = new Counter();
            TinyMachine.BootProving(r, new Nester("first", 0, [a, b], done, waitFor: 0, then: [b, c]), new Nester("second", 1, [c, a], done, waitFor: 1));
        });

        Assert.Contains("second is trying to acquire a->lock (&a->lock) while holding c->lock (&c->lock); the existing dependency chain is &a->lock -> &b->lock -> &c->lock", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneConsistentOrder_IsNeverReported()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var a = new KernelLock(A, "a->lock");
            var b = new KernelLock(B, "b->lock");
            var c = new KernelLock(C, "c->lock");
            var done = new Counter();
            TinyMachine.BootProving(r, new Nester("first", 0, [a, b, c], done, waitFor: -1), new Nester("second", 1, [a, c], done, waitFor: -1, then: [b, c]));
        });

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void TwoLocksOfOneClass_AreNotALockOrder()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var a0 = new KernelLock(A, "a0->lock");
            var a1 = new KernelLock(A, "a1->lock");
            var done = new Counter();
            TinyMachine.BootProving(r, new Nester("first", 0, [a0, a1], done, waitFor: 0), new Nester("second", 1, [a1, a0], done, waitFor: 1));
        });

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void ATrylockUnderAHeldLock_AddsNoDependency()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var a = new KernelLock(A, "a->lock");
            var b = new KernelLock(B, "b->lock");
            var done = new Counter();

            // a->lock then spin_trylock(b->lock), in every interleaving with b->lock then a->lock.
            TinyMachine.BootProving(r, new TryNester("first", 0, a, b, done), new Nester("second", 1, [b, a], done, waitFor: -1));
        });

        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void ALockTakenUnderATrylockedOne_IsADependency()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var a = new KernelLock(A, "a->lock");
            var b = new KernelLock(B, "b->lock");
            var done = new Counter();

            // spin_trylock(b->lock) succeeds (the other task waits), then spin_lock(a->lock) under it: &b->lock -> &a->lock.
            TinyMachine.BootProving(r, new TryNester("first", 0, b, a, done, tryOuter: true), new Nester("second", 1, [a, b], done, waitFor: 1));
        });

        Assert.Contains("second is trying to acquire b->lock (&b->lock) while holding a->lock (&a->lock); the existing dependency chain is &b->lock -> &a->lock", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Observed_TheReportIsAnObservation_AndTheRunGoesOn()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var a = new KernelLock(A, "a->lock");
            var b = new KernelLock(B, "b->lock");
            var done = new Counter();
            r.RegisterMonitor<LockdepSeenAfterRun>();
            TinyMachine.Boot(r, new KernelConfig { Cpus = 2, MaxTicks = 1, ProveLocking = true, ObserveDebugReports = true }, k => k.AddObserver(new ToMonitor()),
                new Nester("first", 0, [a, b], done, waitFor: 0), new Nester("second", 1, [b, a], done, waitFor: 1, finish: true));
        });

        Assert.Equal(
            "second finished after lockdep reported: WARNING: possible circular locking dependency detected: second is trying to acquire a->lock (&a->lock) while holding b->lock (&b->lock); the existing dependency chain is &a->lock -> &b->lock, so &b->lock -> &a->lock closes a cycle.",
            report.Bug?.Message);
    }

    /// <summary>
    /// The graph is machine state: the first task either nests a->lock and b->lock or takes b->lock
    /// alone (a recorded choice), and both branches end in the same state but for the dependency
    /// recorded. A stateful search that merged them would explore the second task's b -> a after
    /// only one of them, and miss the cycle if that one was the branch without the nesting.
    /// </summary>
    [Fact]
    public void TwoStatesDifferingOnlyInTheirDependencies_AreSearchedBoth()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var a = new KernelLock(A, "a->lock");
            var b = new KernelLock(B, "b->lock");
            var done = new Counter();
            TinyMachine.BootProving(r, new Chooser(a, b, done), new Nester("second", 1, [b, a], done, waitFor: 1));
        });

        Assert.Contains("second is trying to acquire a->lock (&a->lock) while holding b->lock (&b->lock)", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheChain_IsTheShortestPathOfClasses()
    {
        var g = new LockDependencies();
        Assert.Null(g.Chain("x", "y"));
        Assert.Equal(new[] { "x" }, g.Chain("x", "x"));
    }

    /// <summary>Takes its first set of locks nested in order and drops them, then the second set; waits for <c>done.value</c> to reach <paramref name="waitFor"/> first.</summary>
    private sealed class Nester(string comm, int cpu, KernelLock[] locks, Counter done, int waitFor, KernelLock[]? then = null, bool finish = false) : TestTask(comm, cpu)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            while (waitFor >= 0 && done.value < waitFor)
            {
                yield return $"wait for done == {waitFor}";
            }

            yield return Stmt.Call(Nest(k, locks));
            if (then is not null)
            {
                yield return Stmt.Call(Nest(k, then));
            }

            done.value++;
            if (finish)
            {
                Specification.Monitor<LockdepSeenAfterRun>(new Finished(comm));
            }

            yield return "done++";
        }

        private IEnumerable<Stmt> Nest(KernelState k, KernelLock[] nest)
        {
            foreach (KernelLock l in nest)
            {
                yield return Stmt.Call(Locking.Lock(k, this, l));
            }

            for (int i = nest.Length - 1; i >= 0; i--)
            {
                yield return Stmt.Call(Locking.Unlock(k, this, nest[i]));
            }
        }
    }

    /// <summary>Nests a->lock and b->lock, or takes b->lock alone, as the search chooses; nothing of the choice outlives the call.</summary>
    private sealed class Chooser(KernelLock a, KernelLock b, Counter done) : TestTask("first", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            yield return Stmt.Call(Take(k, k.RandomInteger(2) == 0 ? [b] : [a, b]));
            done.value++;
            yield return "done++";
        }

        private IEnumerable<Stmt> Take(KernelState k, KernelLock[] nest)
        {
            foreach (KernelLock l in nest)
            {
                yield return Stmt.Call(Locking.Lock(k, this, l));
            }

            for (int i = nest.Length - 1; i >= 0; i--)
            {
                yield return Stmt.Call(Locking.Unlock(k, this, nest[i]));
            }
        }
    }

    /// <summary>
    /// spin_lock(outer) then spin_trylock(inner); with <paramref name="tryOuter"/>, spin_trylock(outer)
    /// then spin_lock(inner) under it if it succeeded.
    /// </summary>
    private sealed class TryNester(string comm, int cpu, KernelLock outer, KernelLock inner, Counter done, bool tryOuter = false) : TestTask(comm, cpu)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            if (tryOuter)
            {
                yield return Stmt.Call(Locking.Trylock(k, this, outer));
                if (outer.IsHeldBy(this))
                {
                    yield return Stmt.Call(Locking.Lock(k, this, inner));
                    yield return Stmt.Call(Locking.Unlock(k, this, inner));
                    yield return Stmt.Call(Locking.Unlock(k, this, outer));
                }
            }
            else
            {
                yield return Stmt.Call(Locking.Lock(k, this, outer));
                yield return Stmt.Call(Locking.Trylock(k, this, inner));
                if (inner.IsHeldBy(this))
                {
                    yield return Stmt.Call(Locking.Unlock(k, this, inner));
                }

                yield return Stmt.Call(Locking.Unlock(k, this, outer));
            }

            done.value++;
            yield return "done++";
        }
    }

    private sealed class Finished(string comm) : Monitor.Event
    {
        public string Comm { get; } = comm;
    }

    /// <summary>Remembers lockdep's report and fails when the reporting task finishes: the run went on after the report.</summary>
    private sealed class LockdepSeenAfterRun : Monitor
    {
        private string? seen;

        [Start]
        [OnEventDoAction(typeof(DebugReport), nameof(OnReport))]
        [OnEventDoAction(typeof(Finished), nameof(OnFinished))]
        private sealed class Watching : State
        {
        }

        private void OnReport(Event e)
        {
            var d = (DebugReport)e;
            if (d.Facility == DebugFacility.Lockdep)
            {
                seen ??= d.Message;
            }
        }

        private void OnFinished(Event e) =>
            Assert(seen is null, "{0} finished after lockdep reported: {1}", ((Finished)e).Comm, seen ?? string.Empty);
    }

    private sealed class ToMonitor : IKernelObserver
    {
        public void Observe(Monitor.Event e)
        {
            if (e is DebugReport)
            {
                Specification.Monitor<LockdepSeenAfterRun>(e);
            }
        }
    }
}
