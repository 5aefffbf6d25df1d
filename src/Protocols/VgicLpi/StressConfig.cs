using System.Globalization;

namespace Verify.Protocols.VgicLpi;

/// <summary>
/// A configuration of the vgic_lpi_stress selftest (-v vCPUs, -d devices, -e events per device,
/// -i iterations) and the throughput the v2 posting measured for it, in injections per second, on
/// v6.8-rc1 and with the series.
/// </summary>
public sealed record StressConfig(int Vcpus, int Devices, int Events, int Iterations, double MeasuredV68, double MeasuredV2)
{
    /// <summary>The translation cache of v6.8/v6.9 and of the v2 design holds 16 entries per vCPU.</summary>
    public int CacheSize => 16 * Vcpus;

    /// <summary>The LPIs the configuration maps: one per event of each device.</summary>
    public int Lpis => Devices * Events;

    public string Name => string.Create(CultureInfo.InvariantCulture, $"-v{Vcpus} -d{Devices} -e{Events} -i{Iterations}");

    /// <summary>The five configurations of the v2 posting's table.</summary>
    public static IReadOnlyList<StressConfig> Table { get; } =
    [
        new(1, 1, 1, 1_000_000, 780_151, 1_255_291),
        new(16, 16, 16, 10_000, 437_082, 5_078_226),
        new(16, 16, 17, 10_000, 506_447, 1_126_118),
        new(64, 64, 1, 100_000, 295_097, 5_565_965),
        new(1, 1, 17, 1_000, 732_934, 149),
    ];
}

/// <summary>One vgic_lpi_stress worker as the statistics run it: every LPI injected in turn, round after round; the last round is the one counted.</summary>
internal sealed class StressInjector(VgicLpiKernel g, int cpu, int lpis, int rounds) : VgicTask(g, "lpi_worker", cpu)
{
    protected override IEnumerable<(string Name, IEnumerable<Kernel.Machine.Stmt> Code)> Calls(Kernel.Machine.KernelState k)
    {
        for (int round = 0; round < rounds; round++)
        {
            if (round == rounds - 1)
            {
                k.Observe(new StressRoundBegan());
            }

            for (int ev = 0; ev < lpis; ev++)
            {
                yield return ("KVM_SIGNAL_MSI", Inject(k, ev));
            }
        }
    }

    private IEnumerable<Kernel.Machine.Stmt> Inject(Kernel.Machine.KernelState k, int ev)
    {
        k.Observe(new InjectionBegan(comm, ev));
        var result = new Ret<int>();
        yield return Kernel.Machine.Stmt.Call(G.VgicItsInjectMsi(this, ev, result));
        k.Observe(new InjectionEnded(comm, ev, result.value));
        yield return $"vgic_its_inject_msi() = {result.value}";
    }
}

/// <summary>The statistics' last round begins: the counts start there, with the cache warm.</summary>
public sealed class StressRoundBegan : Verify.Specifications.Monitor.Event
{
}

/// <summary>A lookup of the LRU cache compared <c>Entries</c> entries under lpi_list_lock.</summary>
public sealed class CacheScanned(int entries) : Verify.Specifications.Monitor.Event
{
    public int Entries { get; } = entries;
}
