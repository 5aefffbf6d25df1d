using Proof = Kernel.Tests.Substrate.Litmus;
using Verify.Kernel.ContextTracking;
using Verify.Kernel.Irq;
using Verify.Kernel.Machine;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Irq;

/// <summary>
/// A protocol's tick hook (<see cref="KernelState.tick_hooks"/>), checked in every schedule of two
/// CPUs in user mode over three jiffies by exhaustive stateful search: each tick runs every hook
/// once, in the order added, on the CPU it interrupted, inside the handler (interrupts off, hard
/// interrupt level 1), before the next tick on that CPU. A run missing is caught at that CPU's next
/// tick, so the last tick of a run is checked for running a hook at most once, not at least once.
/// </summary>
public sealed class TickHookTests
{
    private static readonly KernelConfig TwoCpus = new() { Cpus = 2, MaxTicks = 3, StatementsPerJiffy = 3 };

    [Fact]
    public void EveryTick_RunsEachHookOnce_InOrder_InsideTheHandler()
    {
        Proof.AssertProved(TwoHooks(reversed: false));
    }

    /// <summary>The order check can fail: hooks added the other way round run the second one first.</summary>
    [Fact]
    public void HooksAddedInTheOtherOrder_RunInThatOrder()
    {
        Assert.Contains("second ran on cpu0 before first", TwoHooks(reversed: true).Bug?.Message, StringComparison.Ordinal);
    }

    /// <summary>Hooks "first" and "second", the second checking that the first ran before it; added in that order unless <paramref name="reversed"/>.</summary>
    private static TestReport TwoHooks(bool reversed) =>
        Proof.Exhaust(TwoCpus, k =>
        {
            var first = new TickSampler("first", null);
            var second = new TickSampler("second", first);
            UserTasks(k, first, second);
            k.tick_hooks.AddRange(reversed ? [second, first] : [first, second]);
            k.AddObserver(first);
            k.AddObserver(second);
        });

    /// <summary>The checks above can fail: a hook that reports whenever it runs is reached, on each CPU.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void AHook_IsReachedOnEachCpu(int cpu)
    {
        TestReport report = Proof.Exhaust(TwoCpus, k =>
        {
            var sampler = new TickSampler("sampler", null, failOnCpu: cpu);
            UserTasks(k, sampler);
            k.tick_hooks.Add(sampler);
            k.AddObserver(sampler);
        });

        Assert.Contains($"sampler ran on cpu{cpu} at its tick", report.Bug?.Message, StringComparison.Ordinal);
    }

    /// <summary>Without a hook registered, the sampler's observer alone finds that a tick went by without it.</summary>
    [Fact]
    public void AHookTheTickDoesNotCall_IsCaught()
    {
        TestReport report = Proof.Exhaust(TwoCpus, k =>
        {
            var sampler = new TickSampler("sampler", null);
            UserTasks(k, sampler);
            k.AddObserver(sampler);
        });

        Assert.Contains("a tick went by without sampler", report.Bug?.Message, StringComparison.Ordinal);
    }

    private static void UserTasks(KernelState k, params TickSampler[] samplers)
    {
        for (int cpu = 0; cpu < 2; cpu++)
        {
            var user = new SampledUserLoop(cpu, samplers) { user_mode = true };
            k.SetCurrent(k.cpus[cpu], user);
            k.cpus[cpu].ct.UserEnter(CtState.User);
        }
    }

    /// <summary>
    /// A hook and the observer that checks it: per CPU, the ticks taken and the hook's runs. A tick
    /// taken while the previous one's run is missing is a report; so is a run before the hook
    /// registered ahead of it has run for this tick.
    /// </summary>
    private sealed class TickSampler(string name, TickSampler? after, int failOnCpu = -1) : ITickHook, IKernelObserver
    {
        public string name { get; } = name;

        public int[] taken { get; } = new int[2];

        public int[] ran { get; } = new int[2];

        public IEnumerable<Stmt> Run(KernelState k, CpuState c, bool user)
        {
            Specification.Assert(c.irqs_disabled && c.hardirq == 1, "{0} ran on cpu{1} with interrupts {2} at hardirq {3}", name, c.cpu, c.irqs_disabled ? "off" : "on", c.hardirq);
            Specification.Assert(ran[c.cpu] == taken[c.cpu] - 1, "{0} ran on cpu{1} {2} times for {3} ticks", name, c.cpu, ran[c.cpu] + 1, taken[c.cpu]);
            Specification.Assert(after is null || after.ran[c.cpu] == taken[c.cpu], "{0} ran on cpu{1} before {2}", name, c.cpu, after?.name);
            Specification.Assert(c.cpu != failOnCpu, "{0} ran on cpu{1} at its tick", name, c.cpu);
            ran[c.cpu]++;
            yield return $"{name}: sample";
        }

        public void Observe(Monitor.Event e)
        {
            if (e is TickTaken t)
            {
                Specification.Assert(ran[t.Cpu] == taken[t.Cpu], "cpu{0}: a tick went by without {1} (jiffies {2})", t.Cpu, name, t.Jiffies);
                taken[t.Cpu]++;
            }
        }
    }

    /// <summary>A user-mode loop that keeps the samplers reachable from its state.</summary>
    private sealed class SampledUserLoop(int cpu, TickSampler[] samplers) : Verify.Kernel.Sched.TaskStruct("user", schedFifo: false, cpu)
    {
        private readonly TickSampler[] samplers = samplers;

        protected internal override IEnumerable<Stmt> Body(KernelState k)
        {
            while (true)
            {
                _ = samplers.Length;
                yield return Stmt.LongWork("user work");
            }
        }
    }
}
