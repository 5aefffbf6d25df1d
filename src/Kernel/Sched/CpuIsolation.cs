using Verify.Kernel.Machine;

namespace Verify.Kernel.Sched;

/// <summary>
/// The HK_TYPE_DOMAIN housekeeping mask as cpu_is_isolated() reads it: which CPUs are isolated,
/// changeable at run time by a cpuset writer creating an isolated partition. Each read and each
/// update is one step of the caller.
/// </summary>
public sealed class CpuIsolation
{
    /// <summary>Bit N set while CPU N is isolated (outside the housekeeping mask).</summary>
    public int isolated_mask { get => Access.Shared(field); private set => field = Access.Shared(value); }

    /// <summary>The machine boots with <paramref name="mask"/> isolated (isolcpus=, nohz_full=).</summary>
    public CpuIsolation(int mask) => isolated_mask = mask;

    /// <summary>cpu_is_isolated(): CPU <paramref name="cpu"/> is outside the housekeeping mask now.</summary>
    public bool CpuIsIsolated(int cpu) => cpu >= 0 && (isolated_mask & (1 << cpu)) != 0;

    /// <summary>housekeeping_update() by the cpuset writer: CPU <paramref name="cpu"/> leaves the housekeeping mask.</summary>
    public void Isolate(int cpu) => isolated_mask |= 1 << cpu;
}
