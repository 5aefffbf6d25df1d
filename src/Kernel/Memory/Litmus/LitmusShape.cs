namespace Verify.Kernel.Memory.Litmus;

/// <summary>
/// A classic litmus pattern with plain accesses, the outcome sequential consistency forbids
/// (<see cref="Weak"/>), and in which variants each weak mode allows it: x86-TSO, the LKMM as
/// the kernel's linux-kernel.cat judges it, and this codebase's Lkmm mode.
/// </summary>
internal sealed record LitmusShape(
    string Name,
    string[] Locations,
    LitmusOp[][] Threads,
    string[] Observed,
    string Weak,
    LitmusVariant[] TsoAllows,
    LitmusVariant[] LkmmAllows,
    LitmusVariant[] ModelAllows,
    string[] Reasons);
