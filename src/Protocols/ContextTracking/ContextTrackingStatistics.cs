using Verify.Kernel.ContextTracking;
using Verify.Kernel.Machine;
using Verify.Specifications;

namespace Verify.Protocols.ContextTracking;

/// <summary>What the workload's runs deliver to the isolated CPU: IPIs by callback type, by the CPU's context when sent and when taken, deferrals and setter attempts.</summary>
public sealed class ContextTrackingStatistics : IKernelObserver
{
    public int Runs { get; set; }

    /// <summary>IPIs the isolated CPUs ran, by callback type.</summary>
    public Dictionary<string, int> Received { get; } = [];

    /// <summary>IPIs queued on the isolated CPUs, by callback type and the context of the CPU each was sent to, when sent.</summary>
    public Dictionary<(string Func, CtState Context), int> Sent { get; } = [];

    /// <summary>IPIs queued, by target CPU (with <see cref="CtParams.IsolatedCpus"/> above 1, each target counts).</summary>
    public Dictionary<int, int> SentTo { get; } = [];

    /// <summary>Setter calls that returned true, by target CPU.</summary>
    public Dictionary<int, int> DeferredFor { get; } = [];

    /// <summary>Setter calls that returned true, by work bit.</summary>
    public Dictionary<int, int> Deferred { get; } = [];

    /// <summary>Call-function interrupts the isolated CPUs took (generic_smp_call_function_single_interrupt()), each running every csd queued then, by CPU.</summary>
    public Dictionary<int, int> Interrupts { get; } = [];

    public int SetterCalls { get; set; }

    public int SetterAttempts { get; set; }

    public int MaxAttempts { get; set; }

    private int attemptsThisCall;

    /// <summary>
    /// At every step of any CPU, one sample per isolated CPU of its context then: with one isolated
    /// CPU, the steps by cpu0's context; with more, every CPU's share of time counts alike.
    /// </summary>
    public Dictionary<CtState, int> StepsByContext { get; } = [];

    /// <summary>The same samples by isolated CPU: at every step, each isolated CPU's own context.</summary>
    public Dictionary<(int Cpu, CtState Context), int> StepsByCpuContext { get; } = [];

    /// <summary>IPIs queued, by target CPU, callback type and that CPU's context when the IPI was sent.</summary>
    public Dictionary<(int Cpu, string Func, CtState Context), int> SentByCpu { get; } = [];

    /// <summary>Called at every step of every CPU, once per isolated CPU with its context then.</summary>
    public void Sample(int cpu, CtState context)
    {
        StepsByContext[context] = StepsByContext.GetValueOrDefault(context) + 1;
        StepsByCpuContext[(cpu, context)] = StepsByCpuContext.GetValueOrDefault((cpu, context)) + 1;
    }

    /// <summary>The share of the samples in which an isolated CPU was in <paramref name="context"/> (with one, the share of time cpu0 spends there).</summary>
    public double Share(CtState context)
    {
        int all = StepsByContext.Values.Sum();
        return all == 0 ? 0 : StepsByContext.GetValueOrDefault(context) / (double)all;
    }

    /// <summary>The share of all steps taken while isolated CPU <paramref name="cpu"/> was in <paramref name="context"/>.</summary>
    public double Share(int cpu, CtState context)
    {
        int all = StepsByCpuContext.Where(e => e.Key.Cpu == cpu).Sum(e => e.Value);
        return all == 0 ? 0 : StepsByCpuContext.GetValueOrDefault((cpu, context)) / (double)all;
    }

    public void NewRun() => Runs++;

    /// <summary>Called when isolated CPU <paramref name="cpu"/>'s IPI handler takes its call queue.</summary>
    public void Interrupt(int cpu) => Interrupts[cpu] = Interrupts.GetValueOrDefault(cpu) + 1;

    public void Observe(Monitor.Event e)
    {
        switch (e)
        {
            case CtIpiReceived r:
                Received[r.Func] = Received.GetValueOrDefault(r.Func) + 1;
                break;
            case CtIpiSent s:
                Sent[(s.Func, s.State)] = Sent.GetValueOrDefault((s.Func, s.State)) + 1;
                SentTo[s.Cpu] = SentTo.GetValueOrDefault(s.Cpu) + 1;
                SentByCpu[(s.Cpu, s.Func, s.State)] = SentByCpu.GetValueOrDefault((s.Cpu, s.Func, s.State)) + 1;
                break;
            case WorkDeferred d:
                Deferred[d.Bit] = Deferred.GetValueOrDefault(d.Bit) + 1;
                DeferredFor[d.Cpu] = DeferredFor.GetValueOrDefault(d.Cpu) + 1;
                break;
            case SetterCall { Begin: true }:
                SetterCalls++;
                attemptsThisCall = 0;
                break;
            case SetterAttempt:
                SetterAttempts++;
                attemptsThisCall++;
                MaxAttempts = Math.Max(MaxAttempts, attemptsThisCall);
                break;
        }
    }
}
