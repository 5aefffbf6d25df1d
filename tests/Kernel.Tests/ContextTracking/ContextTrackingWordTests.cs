using Kernel.Tests.Irq;
using Kernel.Tests.Substrate;
using Proof = Kernel.Tests.Substrate.Litmus;
using Kernel.Tests.Sync;
using Verify;
using Verify.Actors;
using Verify.Kernel.ContextTracking;
using Verify.Kernel.Machine;
using Verify.Kernel.Rcu.Tree;
using Verify.Kernel.Sched;
using Verify.Kernel.Sync;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.ContextTracking;

/// <summary>
/// The context-tracking word: one atomic_t laid out [RCU watching counter][work bits][CT state],
/// whose atomics are single steps. Each property is checked in every schedule of a tiny machine by
/// exhaustive stateful search: a remote setter's atomic_try_cmpxchg() refreshes its <c>old</c> on
/// failure and loses no transition of the CPU's own atomic_add_return(); a counter of the 2-bit
/// torture width wraps, and the grace-period kthread's FQS scan still sees the extended quiescent
/// state with work bits set, and sees none while the CPU stays in the kernel however the work bits change.
/// </summary>
public sealed class ContextTrackingWordTests
{
    /// <summary>The layout: state in the low bits, then the work bits, then the counter, whose low bit is CT_RCU_WATCHING.</summary>
    [Fact]
    public void Word_HasTheKernelsLayout()
    {
        var ct = new ContextTrackingState(0, workBits: 2, rcuWatchingWidth: ContextTrackingState.RcuWatchingTortureWidth);
        Assert.Equal(0b11, ContextTrackingState.CT_STATE_MASK);
        Assert.Equal(2, ct.CT_WORK_START);
        Assert.Equal(0b1100, ct.CT_WORK_MASK);
        Assert.Equal(0b1_0000, ct.CT_RCU_WATCHING);
        Assert.Equal(0b11_0000, ct.CT_RCU_WATCHING_MASK);
        Assert.Equal(ct.CT_RCU_WATCHING | ContextTrackingState.CT_STATE_KERNEL, ct.word.Read());
        Assert.True(ct.Watching);
        Assert.Equal(CtState.Kernel, ct.state);
        Assert.Equal(1, ct.rcu_watching);

        var wide = new ContextTrackingState(0);
        Assert.Equal(30, wide.CT_RCU_WATCHING_WIDTH);
        Assert.Equal(4, wide.CT_RCU_WATCHING);
    }

    /// <summary>
    /// A housekeeping kthread sets a work bit in cpu0's word with an atomic_try_cmpxchg() loop while
    /// cpu0 enters and leaves user mode with atomic_add_return(): every failed try_cmpxchg leaves
    /// <c>old</c> holding the value it found, the loop ends, the bit is set, and the counter shows
    /// every one of cpu0's transitions, at every step (a cmpxchg that stored a stale value would lose
    /// one, and an add that dropped the work bits would lose those).
    /// </summary>
    [Fact]
    public void TryCmpxchg_OnFailure_WritesTheCurrentValueIntoOld_AndNoTransitionIsLost()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var config = new KernelConfig { Cpus = 1, MaxTicks = 1, CtWorkBits = 2 };
            var k = new KernelState(config, r);
            var expected = new Expected();
            k.SetCurrent(k.cpus[0], new Transitions(loops: 2, expected));
            k.Boot(new WorkSetter(expected));
        });

        Proof.AssertProved(report);
    }

    /// <summary>
    /// Torture width (2-bit counter), two work bits, a grace period requested at boot. cpu0 stays in
    /// the kernel with interrupts and preemption off (no tick, no context switch can report for it)
    /// while a housekeeping kthread sets work bits in its word: a grace period that started while it
    /// was there never loses cpu0's bit to the FQS scan (a snapshot of the whole word would see the
    /// work bits change and report a quiescent state). Then cpu0 enters user mode, its counter wrapping
    /// from 3 to 0, and the grace period completes in every schedule: the scan sees the extended
    /// quiescent state through the work bits and across the wrap.
    /// </summary>
    [Fact]
    public void TortureWidthCounter_Wraps_AndTheFqsScanSeesTheEqs_WithWorkBitsSet()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var config = new KernelConfig
            {
                Cpus = 1,
                MaxTicks = 6,
                CtWorkBits = 2,
                CtRcuWatchingWidth = ContextTrackingState.RcuWatchingTortureWidth,
            };
            r.RegisterMonitor<Done>();
            r.Monitor<Done>(new Done.Expect(1));
            var k = new KernelState(config, r);
            var cpu = new StaysInKernelThenUser();
            k.SetCurrent(k.cpus[0], cpu);
            k.AddObserver(new GpCleanupToDone());
            k.Boot(new SynchronizeRcuCaller(1, 1), new WorkSetter(null, spaced: true));
        });

        Proof.AssertProved(report);
    }

    /// <summary>What the word must hold: the work bits set so far and cpu0's transitions so far, each updated in the step of its atomic.</summary>
    private sealed class Expected
    {
        public int bits { get => Access.Shared(field); set => field = Access.Shared(value); }

        public int transitions { get => Access.Shared(field); set => field = Access.Shared(value); }

        /// <summary>cpu0's test task has ended: the idle loop's transitions follow, uncounted.</summary>
        public bool done { get => Access.Shared(field); set => field = Access.Shared(value); }

        /// <summary>Called in every step of both tasks, after their atomic.</summary>
        public void Check(ContextTrackingState ct) =>
            Specification.Assert(
                ct.work == bits && (done || ct.rcu_watching == 1 + transitions),
                "cpu0's word 0x{0:x} has work 0x{1:x} and counter {2}; set so far 0x{3:x} and {4} transitions from 1: an update was lost.",
                ct.word.Read(),
                ct.work,
                ct.rcu_watching,
                bits,
                transitions);
    }

    /// <summary>cpu0: with interrupts off, enters and leaves user mode <c>loops</c> times (atomic_add_return() on its word).</summary>
    private sealed class Transitions(int loops, Expected expected) : TestTask("transitions", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            CpuState c = k.cpus[0];
            c.irqs_disabled = true;
            yield return "local_irq_disable()";
            for (int i = 0; i < loops; i++)
            {
                c.ct.UserEnter(CtState.User);
                expected.transitions++;
                expected.Check(c.ct);
                yield return "ct_user_enter(CT_STATE_USER)";
                c.ct.UserExit();
                expected.transitions++;
                expected.Check(c.ct);
                yield return "ct_user_exit(CT_STATE_USER)";
            }

            Specification.Assert(c.ct.state == CtState.Kernel, "cpu0 ends in ct state {0}.", c.ct.state);
            expected.done = true;
            c.irqs_disabled = false;
            yield return "local_irq_enable()";
        }
    }

    /// <summary>
    /// A housekeeping kthread: for each work bit, old = atomic_read(); do ret =
    /// atomic_try_cmpxchg(&amp;ct->state, &amp;old, old | work) while (!ret); each failure checks that
    /// old now holds the word's value, which it did not before. <c>spaced</c> sleeps a jiffy after each bit.
    /// </summary>
    private sealed class WorkSetter(Expected? expected, bool spaced = false) : TaskStruct("setter", schedFifo: false, cpu: -1)
    {
        protected internal override IEnumerable<Stmt> Body(KernelState k)
        {
            ContextTrackingState ct = k.cpus[0].ct;
            for (int b = 0; b < ct.CT_WORK_WIDTH; b++)
            {
                int work = 1 << (ct.CT_WORK_START + b);
                int old = ct.word.Read();
                yield return "old = atomic_read(&ct->state)";
                while (true)
                {
                    int tried = old;
                    bool ret = ct.word.TryCmpxchg(ref old, old | work);
                    if (ret)
                    {
                        if (expected is not null)
                        {
                            expected.bits |= 1 << b;
                            expected.Check(ct);
                        }

                        yield return $"atomic_try_cmpxchg(&ct->state, &old, old | BIT({b})) = true";
                        if (spaced)
                        {
                            yield return Stmt.Call(ScheduleTimeout(k, 1));
                        }

                        break;
                    }

                    Specification.Assert(old == ct.word.Read() && old != tried, "a failed atomic_try_cmpxchg() left old = 0x{0:x}; it tried 0x{1:x} and the word is 0x{2:x}.", old, tried, ct.word.Read());
                    expected?.Check(ct);
                    yield return $"atomic_try_cmpxchg(&ct->state, &old, old | BIT({b})) = false";
                }
            }

            while (true)
            {
                state = TaskState.Blocked;
                yield return Stmt.Sleep("setter: done");
            }
        }
    }

    /// <summary>
    /// cpu0: leaves and re-enters the kernel (counter 1, 2, 3), stays in the kernel with interrupts
    /// and preemption off for three jiffies of work (FQS scans come and the work bits change), checking that a grace period that started since it
    /// re-entered still waits for it, then enters user mode (counter 3 wraps to 0) and stays there.
    /// </summary>
    private sealed class StaysInKernelThenUser() : TaskStruct("cpu0_task", schedFifo: false, cpu: 0)
    {
        protected internal override IEnumerable<Stmt> Body(KernelState k)
        {
            CpuState c = k.cpus[0];
            RcuState rs = k.rcu_state;
            c.irqs_disabled = true;
            c.preempt_count++;
            yield return "local_irq_disable(); preempt_disable()";
            c.ct.UserEnter(CtState.User);
            yield return "ct_user_enter(CT_STATE_USER)";
            c.ct.UserExit();
            int gpAtEntry = rs.gp_seq;
            yield return "ct_user_exit(CT_STATE_USER)";
            for (int i = 0; i < 3; i++)
            {
                // A grace period started after the re-entry (gp_seq moved on and is odd) has seen
                // cpu0 only in the kernel: nothing may have reported a quiescent state for it.
                bool startedSince = (gpAtEntry & 1) == 0 && rs.gp_seq == gpAtEntry + 1 && rs.rnp_gp_seq == rs.gp_seq;
                Specification.Assert(!startedSince || (rs.qsmask & 1) != 0, "the FQS scan reported a quiescent state for cpu0, in the kernel since before the grace period began (word 0x{0:x}).", c.ct.word.Read());
                yield return Stmt.LongWork("kernel work, RCU watching");
            }

            Specification.Assert(c.ct.rcu_watching == 3, "cpu0's counter is {0} before the wrap, not 3.", c.ct.rcu_watching);
            c.ct.UserEnter(CtState.User);
            Specification.Assert(c.ct.rcu_watching == 0 && !c.ct.Watching, "cpu0's 2-bit counter is {0} after 3 + 1, not wrapped to 0.", c.ct.rcu_watching);
            user_mode = true;
            c.preempt_count--;
            c.irqs_disabled = false;
            yield return "exit_to_user_mode(): ct_user_enter()";
            while (true)
            {
                yield return Stmt.LongWork("user work");
            }
        }
    }

    /// <summary>The end of a grace period tells <see cref="Done"/> the updater is through.</summary>
    private sealed class GpCleanupToDone : IKernelObserver
    {
        public void Observe(Monitor.Event e)
        {
            if (e is RcuGpCleanup)
            {
                Specification.Monitor<Done>(new Done.Returned());
            }
        }
    }
}
