namespace Verify.Protocols.ContextTracking;

/// <summary>
/// A workload for the statistics: cpu0 alternates between user space and the kernel
/// (<see cref="Transitions"/> syscalls, each after <see cref="UserSteps"/> steps of user code and
/// running <see cref="KernelSteps"/> steps of kernel code), while one housekeeping CPU patches text
/// and unmaps vmalloc areas, <see cref="Operations"/> in all, every <see cref="PatchEvery"/>-th a
/// text patch and the others vunmaps, each after <see cref="GapSteps"/> steps of other work. Under
/// the random scheduler each step is equally likely to be any CPU's, so the steps set the rates.
/// </summary>
public sealed record Workload
{
    public int Transitions { get; init; } = 6;

    public int UserSteps { get; init; } = 12;

    public int KernelSteps { get; init; } = 2;

    public int Operations { get; init; } = 8;

    public int PatchEvery { get; init; } = 2;

    public int GapSteps { get; init; } = 4;
}
