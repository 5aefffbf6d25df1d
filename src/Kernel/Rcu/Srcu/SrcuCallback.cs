namespace Verify.Kernel.Rcu.Srcu;

/// <summary>An rcu_head queued by call_srcu(): ready once the sequence reaches <see cref="seq"/>; <see cref="func"/> runs it.</summary>
public sealed class SrcuCallback(long seq, ISrcuCallbackFn func)
{
    public long seq { get; } = seq;

    public ISrcuCallbackFn func { get; } = func;
}
