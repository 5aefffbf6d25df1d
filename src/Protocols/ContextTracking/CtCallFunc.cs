namespace Verify.Protocols.ContextTracking;

/// <summary>
/// A callback a sender queues on an isolated CPU's call_single_queue (its smp_call_func_t), run
/// there by the call-function IPI's handler; named in traces and statistics as the kernel names it.
/// </summary>
internal abstract class CtCallFunc(string name)
{
    internal string name { get; } = name;

    /// <summary>The callback's effect on the CPU that runs it.</summary>
    internal abstract void Run(CtKernel k, CtCpu c);

    public override string ToString() => name;
}
