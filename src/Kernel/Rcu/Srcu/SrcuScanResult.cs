namespace Verify.Kernel.Rcu.Srcu;

/// <summary>The answer of a reader scan.</summary>
public sealed class SrcuScanResult
{
    public bool zero { get; set; }
}
