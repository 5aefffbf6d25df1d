using Kernel.Tests.Substrate;
using Proof = Kernel.Tests.Substrate.Litmus;
using Kernel.Tests.Sync;
using Verify;
using Verify.Actors;
using Verify.Kernel.ContextTracking;
using Verify.Kernel.Irq;
using Verify.Kernel.Machine;
using Verify.Kernel.Sched;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Irq;

/// <summary>
/// Cross-CPU function calls, each property checked in every schedule of a machine of one or two
/// CPUs (and the housekeeping CPU) by exhaustive stateful search: the IPI is taken at the target's
/// next interrupts-enabled boundary and never inside an irqs-off section; it wakes a CPU halted in
/// idle or in a guest; on_each_cpu_cond() calls only the CPUs whose cond holds, one IPI each, from
/// user mode through the kernel entry; a waiting sender returns only after the call ran.
/// </summary>
public sealed class IpiTests
{
    /// <summary>
    /// cpu0 calls cpu1, which runs interrupts-enabled and irqs-off sections. Whenever cpu1 runs task
    /// code with interrupts enabled no IPI is pending (it would have been taken at that boundary),
    /// the call never runs inside the irqs-off section, and the waiting sender finds it done.
    /// </summary>
    [Fact]
    public void Ipi_IsTakenAtTheNextInterruptsEnabledBoundary_AndNeverInsideAnIrqsOffSection()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var target = new IrqsOffSections();
            var probe = new Probe(cpu: 1, whileNot: target);
            RegisterDone(r, 1);
            TinyMachine.Boot(r, new KernelConfig { Cpus = 2, MaxTicks = 1 }, k => Smp.Boot(k), new SingleCaller(0, 1, probe, wait: true, checkDone: true), target);
        });

        Proof.AssertProved(report);
    }

    /// <summary>
    /// A housekeeping kthread calls cpu0 and waits, while cpu0 is halted in the idle loop (its tick
    /// stopped) or runs a guest: the IPI wakes it (a VM exit for the guest), the call runs, and the
    /// sender returns in every schedule. A halted CPU left asleep would leave the sender asleep and
    /// the <see cref="Done"/> monitor hot at the end of the run.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ipi_WakesAHaltedCpu_IdleOrInAGuest(bool guest)
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var probe = new Probe(cpu: 0);
            RegisterDone(r, 1);
            // No tick at all: only the IPI can end the halt.
            var config = new KernelConfig { Cpus = 1, MaxTicks = 0 };
            var k = new KernelState(config, r);
            Smp.Boot(k);
            if (guest)
            {
                k.SetCurrent(k.cpus[0], new GuestRunner());
            }

            k.Boot(new HousekeepingCaller(0, probe));
        });

        Proof.AssertProved(report);
    }

    /// <summary>
    /// Two housekeeping CPUs each call cpu0 through on_each_cpu_cond() and wait: each sends with
    /// csds of its own (its cfd_data), so each call's IPI names its own sender, both calls run, and
    /// both senders return in every schedule. With one csd row for every housekeeping CPU the second
    /// call would be sent from the first's csd and named after it.
    /// </summary>
    [Fact]
    public void TwoHousekeepingSenders_EachSendWithTheirOwnCsds()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var config = new KernelConfig { Cpus = 1, MaxTicks = 1, HousekeepingCpus = 2 };
            var k = new KernelState(config, r);
            Smp.Boot(k);
            var probe = new Probe(cpu: 0);
            var senders = new IpiSenders();
            k.AddObserver(senders);
            RegisterDone(r, 2);
            k.Boot(
                new HousekeepingCaller(0, probe, name: "hk_caller0", cpu: KernelState.HousekeepingCpuId(0), shared: true),
                new HousekeepingCaller(0, probe, name: "hk_caller1", cpu: KernelState.HousekeepingCpuId(1), senders: senders, shared: true));
        });

        Proof.AssertProved(report);
    }

    /// <summary>
    /// on_each_cpu_cond() from the housekeeping CPU to two CPUs in user mode, the cond true for
    /// cpu1 only: the cond is evaluated once per CPU, cpu0 receives no IPI, cpu1 exactly one, taken
    /// from user mode through enter_from_user_mode() (the call runs in CT_STATE_KERNEL with RCU
    /// watching, and the CPU returns to user in CT_STATE_USER, which the user loop checks).
    /// </summary>
    [Fact]
    public void OnEachCpuCond_SkipsCpusWhoseCondIsFalse_AndCountsOneIpiPerTarget()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var config = new KernelConfig { Cpus = 2, MaxTicks = 1 };
            var k = new KernelState(config, r);
            Smp.Boot(k);
            for (int i = 0; i < 2; i++)
            {
                k.SetCurrent(k.cpus[i], new UserLoop(i) { user_mode = true });
                k.cpus[i].ct.UserEnter(CtState.User);
            }

            var cond = new OnlyCpu(1);
            var probe = new Probe(cpu: 1, fromUser: true);
            var counter = new IpiCounter();
            k.AddObserver(counter);
            RegisterDone(r, 1);
            k.Boot(new HousekeepingCaller(-1, probe, cond, counter));
        });

        Proof.AssertProved(report);
    }

    /// <summary>
    /// on_each_cpu_cond() without a cond from a task on cpu0: cpu0 runs the call itself with
    /// interrupts off (no IPI), idle cpu1 by exactly one IPI, and the caller returns after both ran.
    /// </summary>
    [Fact]
    public void OnEachCpuCond_FromAModelledCpu_RunsTheCallLocally_AndSendsTheOthersOneIpi()
    {
        TestReport report = TinyMachine.Exhaust(r =>
        {
            var counter = new IpiCounter("everywhere");
            RegisterDone(r, 1);
            TinyMachine.Boot(r, new KernelConfig { Cpus = 2, MaxTicks = 1 }, k =>
            {
                Smp.Boot(k);
                k.AddObserver(counter);
            }, new EachCaller(new Everywhere(), counter));
        });

        Proof.AssertProved(report);
    }

    /// <summary>With wait set, smp_call_function_single() returns only after the call ran on the target.</summary>
    [Fact]
    public void Wait_ReturnsOnlyAfterTheCallbackRan()
    {
        TestReport report = TinyMachine.Exhaust(r => WaitOrNot(r, wait: true));

        Proof.AssertProved(report);
    }

    /// <summary>Without wait the caller can return with the call not yet run: the check above has teeth.</summary>
    [Fact]
    public void WithoutWait_TheCallerCanReturnBeforeTheCallbackRan()
    {
        TestReport report = TinyMachine.Exhaust(r => WaitOrNot(r, wait: false));

        Assert.Contains("returned before", report.Bug?.Message, StringComparison.Ordinal);
    }

    private static void WaitOrNot(IActorRuntime r, bool wait)
    {
        var probe = new Probe(cpu: 1);
        RegisterDone(r, 1);
        TinyMachine.Boot(r, new KernelConfig { Cpus = 2, MaxTicks = 1 }, k => Smp.Boot(k), new SingleCaller(0, 1, probe, wait, checkDone: true));
    }

    private static void RegisterDone(IActorRuntime r, int senders)
    {
        r.RegisterMonitor<Done>();
        r.Monitor<Done>(new Done.Expect(senders));
    }

    /// <summary>The test's call: checks it runs on its CPU in hard-interrupt context, RCU watching, and counts its runs.</summary>
    private sealed class Probe(int cpu, IrqsOffSections? whileNot = null, bool fromUser = false) : SmpCallFunc("probe_func")
    {
        public int runs { get => Access.Shared(field); set => field = Access.Shared(value); }

        protected internal override IEnumerable<Stmt> Func(KernelState k, CpuState c)
        {
            Specification.Assert(c.cpu == cpu, "probe_func ran on cpu{0}, not cpu{1}.", c.cpu, cpu);
            Specification.Assert(c.hardirq == 1 && c.irqs_disabled, "probe_func ran on cpu{0} outside the IPI handler (hardirq {1}).", c.cpu, c.hardirq);
            Specification.Assert(!fromUser || (c.ct.Watching && c.ct.state == CtState.Kernel), "probe_func ran on cpu{0} in ct state {1}, watching {2}: the IPI from user did not enter the kernel.", c.cpu, c.ct.state, c.ct.Watching);
            Specification.Assert(c.ct.Watching, "probe_func ran on cpu{0} with RCU not watching.", c.cpu);
            Specification.Assert(whileNot is null || !whileNot.inSection, "probe_func ran on cpu{0} inside an irqs-off section.", c.cpu);
            yield return "probe_func: work";
            runs++;
            yield return "probe_func: done";
        }
    }

    /// <summary>cond_func: true for one CPU; counts its evaluations per CPU.</summary>
    private sealed class OnlyCpu(int cpu) : SmpCondFunc("only_cpu")
    {
        public int evaluated { get => Access.Shared(field); set => field = Access.Shared(value); }

        protected override bool Test(KernelState k, int target)
        {
            Specification.Assert((evaluated & (1 << target)) == 0, "only_cpu was evaluated twice for cpu{0}.", target);
            evaluated |= 1 << target;
            return target == cpu;
        }
    }

    /// <summary>Counts the IPIs each CPU received of one callback type.</summary>
    private sealed class IpiCounter(string func = "probe_func") : IKernelObserver
    {
        public int[] received { get; } = new int[2];

        public bool user { get; set; } = true;

        public void Observe(Monitor.Event e)
        {
            if (e is IpiReceived ipi && ipi.Func == func)
            {
                received[ipi.Cpu]++;
                user &= ipi.User;
            }
        }
    }

    /// <summary>The sender each IPI's call was queued by, in the order they were taken.</summary>
    private sealed class IpiSenders : IKernelObserver
    {
        public List<int> seen { get; } = [];

        public void Observe(Monitor.Event e)
        {
            if (e is IpiReceived ipi)
            {
                seen.Add(ipi.Src);
            }
        }
    }

    /// <summary>Polls until probe_func ran twice (the other sender's call too).</summary>
    private static IEnumerable<Stmt> WaitForBoth(Probe probe)
    {
        while (probe.runs < 2)
        {
            yield return "wait for the other call";
        }
    }

    /// <summary>A call that notes where it ran: by IPI (hard interrupt) on a remote CPU, directly with interrupts off on the caller's cpu0.</summary>
    private sealed class Everywhere() : SmpCallFunc("everywhere")
    {
        public int ranOn { get => Access.Shared(field); set => field = Access.Shared(value); }

        protected internal override IEnumerable<Stmt> Func(KernelState k, CpuState c)
        {
            Specification.Assert(c.irqs_disabled && c.hardirq == (c.cpu == 0 ? 0 : 1), "everywhere ran on cpu{0} at hardirq {1}, interrupts {2}.", c.cpu, c.hardirq, c.irqs_disabled ? "off" : "on");
            Specification.Assert((ranOn & (1 << c.cpu)) == 0, "everywhere ran twice on cpu{0}.", c.cpu);
            ranOn |= 1 << c.cpu;
            yield return "everywhere: work";
        }
    }

    /// <summary>On cpu0: on_each_cpu_cond(NULL, everywhere, wait=1), then checks it ran on both CPUs and only cpu1 got an IPI.</summary>
    private sealed class EachCaller(Everywhere func, IpiCounter counter) : TestTask("caller", 0)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            yield return Stmt.Call(Smp.OnEachCpuCond(k, this, null, func, wait: true));
            Specification.Assert(func.ranOn == 0b11, "on_each_cpu_cond() returned with the call run on cpus 0x{0:x}.", func.ranOn);
            Specification.Assert(counter.received[0] == 0 && counter.received[1] == 1, "IPIs received: cpu0 {0}, cpu1 {1}; expected 0 and 1.", counter.received[0], counter.received[1]);
            Specification.Monitor<Done>(new Done.Returned());
            yield return "check";
        }
    }

    /// <summary>On cpu <c>me</c>: smp_call_function_single(target, probe, wait), then (if asked) a check the call ran.</summary>
    private sealed class SingleCaller(int me, int target, Probe probe, bool wait, bool checkDone = false) : TestTask("caller", me)
    {
        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            yield return Stmt.Call(Smp.SmpCallFunctionSingle(k, this, target, probe, wait));
            Specification.Assert(!checkDone || probe.runs == 1, "smp_call_function_single() returned before probe_func ran ({0} runs).", probe.runs);
            Specification.Monitor<Done>(new Done.Returned());
            yield return "check";
        }
    }

    /// <summary>
    /// A housekeeping kthread: smp_call_function_single(target, probe, wait=1), or with a cond
    /// on_each_cpu_cond(cond, probe, wait=1); then checks the call ran (and the IPI counts), once.
    /// </summary>
    private sealed class HousekeepingCaller(int target, Probe probe, OnlyCpu? cond = null, IpiCounter? counter = null, string name = "hk_caller", int cpu = -1, IpiSenders? senders = null, bool shared = false)
        : TaskStruct(name, schedFifo: false, cpu: cpu)
    {
        protected internal override IEnumerable<Stmt> Body(KernelState k)
        {
            if (cond is null)
            {
                // Two senders call through on_each_cpu_cond(), whose csds (cfd_data) are per sender;
                // a waiting smp_call_function_single() uses a csd on its own stack.
                yield return Stmt.Call(shared
                    ? Smp.OnEachCpuCond(k, this, new OnlyCpu(target), probe, wait: true)
                    : Smp.SmpCallFunctionSingle(k, this, target, probe, wait: true));
                if (senders is not null)
                {
                    // The last of the two to return: both calls ran, each named after its sender.
                    yield return Stmt.Call(WaitForBoth(probe));
                    Specification.Assert(senders.seen.Order().SequenceEqual([-2, -1]), "the IPIs named senders {0}, not each housekeeping CPU once.", string.Join(", ", senders.seen));
                }
            }
            else
            {
                yield return Stmt.Call(Smp.OnEachCpuCond(k, this, cond, probe, wait: true));
                Specification.Assert(cond.evaluated == 0b11, "on_each_cpu_cond() evaluated its cond on cpus 0x{0:x}, not on each.", cond.evaluated);
                Specification.Assert(counter!.received[0] == 0, "cpu0, whose cond was false, received {0} probe_func IPIs.", counter.received[0]);
                Specification.Assert(counter.received[1] == 1, "cpu1 received {0} probe_func IPIs, not one.", counter.received[1]);
                Specification.Assert(counter.user, "the IPI to cpu1, in user mode, was not taken from user.");
            }

            Specification.Assert(shared ? probe.runs >= 1 : probe.runs == 1, "the waiting caller returned with probe_func run {0} times.", probe.runs);
            Specification.Monitor<Done>(new Done.Returned());
            yield return "check";
            while (true)
            {
                state = TaskState.Blocked;
                yield return Stmt.Sleep("hk_caller: done");
            }
        }
    }

    /// <summary>
    /// cpu1's task: interrupts-enabled work and irqs-off sections, twice. Each statement it runs with
    /// interrupts enabled checks that no IPI is pending: one raised before this boundary was taken.
    /// </summary>
    private sealed class IrqsOffSections() : TestTask("sections", 1)
    {
        public bool inSection { get => Access.Shared(field); set => field = Access.Shared(value); }

        protected override IEnumerable<Stmt> Run(KernelState k)
        {
            for (int i = 0; i < 2; i++)
            {
                CpuState c = k.cpus[1];
                NoIpiPending(c);
                yield return "work with interrupts on";
                NoIpiPending(c);
                c.irqs_disabled = true;
                inSection = true;
                yield return "local_irq_disable()";
                yield return "irqs-off work";
                yield return "irqs-off work";
                inSection = false;
                c.irqs_disabled = false;
                yield return "local_irq_enable()";
            }
        }

        private static void NoIpiPending(CpuState c) =>
            Specification.Assert(!c.call_single_queue!.ipi_pending, "cpu{0} ran task code with interrupts enabled and an IPI pending.", c.cpu);
    }
}

/// <summary>Hot until the expected number of callers have returned: a run that ends with a caller stuck is a liveness bug.</summary>
public sealed class Done : Monitor
{
    private int left;

    public sealed class Expect(int callers) : Event
    {
        public int Callers { get; } = callers;
    }

    public sealed class Returned : Event
    {
    }

    [Start]
    [Hot]
    [OnEventDoAction(typeof(Expect), nameof(OnExpect))]
    [OnEventDoAction(typeof(Returned), nameof(OnReturned))]
    private sealed class Waiting : State
    {
    }

    [Cold]
    [IgnoreEvents(typeof(Returned))]
    private sealed class Finished : State
    {
    }

    private void OnExpect(Event e) => left = ((Expect)e).Callers;

    private void OnReturned()
    {
        if (--left == 0)
        {
            RaiseGotoStateEvent<Finished>();
        }
    }
}
