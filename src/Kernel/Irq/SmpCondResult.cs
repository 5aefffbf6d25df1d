namespace Verify.Kernel.Irq;

/// <summary>The value a <see cref="SmpCondFunc"/> returned (a function of several steps cannot return one directly).</summary>
public sealed class SmpCondResult
{
    public bool value { get; set; }
}
