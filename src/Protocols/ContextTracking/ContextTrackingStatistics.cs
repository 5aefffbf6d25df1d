using Verify.Kernel.Machine;
using Verify.Specifications;

namespace Verify.Protocols.ContextTracking;

/// <summary>What the workload's runs deliver to the isolated CPU: IPIs by callback type, by the CPU's context when sent and when taken, deferrals and setter attempts.</summary>
public sealed class ContextTrackingStatistics : IKernelObserver
{
    public int Runs { get; set; }

    /// <summary>IPIs the isolated CPUs ran, by callback type.</summary>
    public Dictionary<string, int> Received { get; } = [];

    /// <summary>IPIs queued on the isolated CPUs, by callback type and the target's context when sent.</summary>
    public Dictionary<(string Func, string Context), int> Sent { get; } = [];

    /// <summary>IPIs queued, by target CPU (with <see cref="CtParams.IsolatedCpus"/> above 1, each target counts).</summary>
    public Dictionary<int, int> SentTo { get; } = [];

    /// <summary>Setter calls that returned true, by target CPU.</summary>
    public Dictionary<int, int> DeferredFor { get; } = [];

    /// <summary>Setter calls that returned true, by work bit.</summary>
    public Dictionary<int, int> Deferred { get; } = [];

    public int SetterCalls { get; set; }

    public int SetterAttempts { get; set; }

    public int MaxAttempts { get; set; }

    private int attemptsThisCall;

    /// <summary>Steps of any CPU, by cpu0's context at the time: the share of time cpu0 spends in each.</summary>
    public Dictionary<string, int> StepsByContext { get; } = [];

    /// <summary>Called at every step of every CPU with cpu0's context then.</summary>
    public void Sample(string context) => StepsByContext[context] = StepsByContext.GetValueOrDefault(context) + 1;

    /// <summary>The share of all steps taken while cpu0 was in <paramref name="context"/>.</summary>
    public double Share(string context)
    {
        int all = StepsByContext.Values.Sum();
        return all == 0 ? 0 : StepsByContext.GetValueOrDefault(context) / (double)all;
    }

    public void NewRun() => Runs++;

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
