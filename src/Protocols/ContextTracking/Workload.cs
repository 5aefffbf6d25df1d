namespace Verify.Protocols.ContextTracking;

/// <summary>
/// A workload for the statistics: cpu0 makes <see cref="Syscalls"/> syscalls, each after
/// <see cref="UserSteps"/> steps of user code and running <see cref="KernelSteps"/> steps of kernel
/// code, then stays in user space; one housekeeping CPU makes <see cref="Patches"/> text patches and
/// <see cref="Vunmaps"/> vunmaps, spread evenly over its operations (the first a patch), each after
/// <see cref="GapSteps"/> steps of other work. Under the random scheduler each step is equally
/// likely to be any CPU's, so the steps set the rates: cpu0 enters the kernel on its own once per
/// <see cref="UserSteps"/> steps of user code, and the housekeeping CPU patches or unmaps once per
/// <see cref="GapSteps"/> steps of other work.
/// </summary>
public sealed record Workload
{
    public int Syscalls { get; init; } = 6;

    public int UserSteps { get; init; } = 12;

    public int KernelSteps { get; init; } = 2;

    public int Patches { get; init; } = 4;

    public int Vunmaps { get; init; } = 4;

    public int GapSteps { get; init; } = 4;

    /// <summary>Whether the housekeeping CPU's operation <paramref name="op"/> (from 0) is a text patch: patches spread evenly among the operations, the first one a patch.</summary>
    public bool IsPatch(int op)
    {
        int all = Patches + Vunmaps;
        return CeilDiv((op + 1) * Patches, all) > CeilDiv(op * Patches, all);
    }

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
}
