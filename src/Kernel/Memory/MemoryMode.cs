namespace Verify.Kernel.Memory;

/// <summary>How the machine's memory orders accesses; fixed when the machine boots.</summary>
public enum MemoryMode
{
    /// <summary>Sequential consistency: every access reaches memory in program order, as plain shared variables.</summary>
    Sc,

    /// <summary>x86-TSO: stores wait in a per-CPU FIFO store buffer; a load may pass an older store to another location.</summary>
    Tso,

    /// <summary>An operational approximation of the Linux-kernel memory model (see README.md for where it differs).</summary>
    Lkmm,
}
