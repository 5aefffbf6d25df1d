using Verify;
using Verify.Kernel.Memory;
using Verify.Protocols.Srcu;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.Srcu;

/// <summary>
/// The memory-ordering cells (one vCPU reader of kvm->memslots on CPU 2, the updater on CPU 0, the
/// worker on CPU 1): srcu_read_lock() without smp_mb() B holds under SC and lets the reader use the
/// freed set under TSO and the LKMM approximation; the unmutated code holds in every mode within the
/// same budgets.
/// </summary>
public sealed class MemoryOrderingTests
{
    /// <summary>
    /// The budgets: PCT with one priority change (fair), seed 0, finds the TSO window within its first
    /// hundred schedules (the reader stalls between its srcu_dereference() and its load while the
    /// whole grace period runs); the default portfolio finds the LKMM windows in its first hundreds.
    /// </summary>
    private const uint PctIterations = 500;

    private const uint PortfolioIterations = 1000;

    [Fact]
    public void ReadLockWithoutMbB_Holds_UnderSc()
    {
        SrcuParams mutant = Explore.Only(Property.NoUseAfterFree) with { MutantNoReadLockMb = true };

        Assert.Null(Pct(Scenario.Named("Memslots"), mutant).TestReport.Bug);
        Assert.Null(Explore.Run(Variant.ForceSynchronization, Scenario.Named("Memslots"), mutant, PortfolioIterations).Bug);
    }

    [Fact]
    public void ReadLockWithoutMbB_UsesTheFreedSet_UnderTso_TheLockCountStillBuffered()
    {
        SrcuParams mutant = Explore.Only(Property.NoUseAfterFree) with { MutantNoReadLockMb = true };

        TestingEngine engine = Pct(Scenario.Named("MemslotsTso"), mutant);

        Assert.Contains("P-SR-S3", engine.TestReport.Bug?.Message, StringComparison.Ordinal);
        string trace = engine.ReadableTrace;
        const string buffered = "cpu2 store kvm->srcu.sda[2]->srcu_lock_count[0] = 1 enters its store buffer";
        const string flushed = "kvm->srcu.sda[2]->srcu_lock_count[0] = 1 reaches memory";
        Assert.Contains(buffered, trace, StringComparison.Ordinal);
        Assert.Contains("no readers on rank 0", trace, StringComparison.Ordinal);

        // The reader loaded the old pointer after its increment, and the scan that found no reader on
        // rank 0 ran before that increment reached memory.
        int stored = trace.IndexOf(buffered, StringComparison.Ordinal);
        int deref = trace.IndexOf("srcu_dereference(kvm->memslots[0], &kvm->srcu) = slots1", StringComparison.Ordinal);
        int scanned = trace.IndexOf("no readers on rank 0", StringComparison.Ordinal);
        int reached = trace.IndexOf(flushed, StringComparison.Ordinal);
        Assert.True(stored < deref && deref < scanned && (reached < 0 || scanned < reached), trace);
    }

    [Fact]
    public void ReadLockWithoutMbB_UsesTheFreedSet_UnderLkmm()
    {
        SrcuParams mutant = Explore.Only(Property.NoUseAfterFree) with { MutantNoReadLockMb = true };

        TestReport report = Explore.Run(Variant.ForceSynchronization, Scenario.Named("MemslotsLkmm"), mutant, PortfolioIterations);

        Assert.Contains("P-SR-S3", report.Bug?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Memslots")]
    [InlineData("MemslotsTso")]
    [InlineData("MemslotsLkmm")]
    public void TheKernelsBarriers_KeepTheSetUntilTheReaderIsDone(string scenario)
    {
        SrcuParams p = Explore.Only(Property.NoUseAfterFree);

        Assert.Null(Pct(Scenario.Named(scenario), p).TestReport.Bug);
        Assert.Null(Explore.Run(Variant.ForceSynchronization, Scenario.Named(scenario), p, PortfolioIterations).Bug);
    }

    [Fact]
    public void TheMemoryKnob_OverridesTheScenariosMode()
    {
        // The SC scenario run with --param memory=tso is the TSO scenario: the same mutant fails.
        SrcuParams mutant = Explore.Only(Property.NoUseAfterFree) with { MutantNoReadLockMb = true, Memory = MemoryMode.Tso };

        Assert.Contains("P-SR-S3", Pct(Scenario.Named("Memslots"), mutant).TestReport.Bug?.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The verdict cells' own budgets catch the mutant: each weak-mode NoUseAfterFree cell, sampled
    /// exactly as `verify verdicts Srcu` samples it (the protocol's strategy and iterations for the
    /// cell, -i 300, seed 0), finds the use-after-free of srcu_read_lock() without B in every variant.
    /// </summary>
    [Theory]
    [InlineData("MemslotsTso")]
    [InlineData("MemslotsLkmm")]
    public void TheWeakModeCells_Budget_CatchesTheMutant_InEveryVariant(string scenario)
    {
        var protocol = new SrcuProtocol();
        SrcuParams mutant = Explore.Only(Property.NoUseAfterFree) with { MutantNoReadLockMb = true };
        foreach (Variant variant in Enum.GetValues<Variant>())
        {
            string cell = $"{variant}.{scenario}.{Property.NoUseAfterFree}";
            Assert.Equal(("fair-prioritization", 1), protocol.SampleStrategy(cell));
            (string name, int bound) = protocol.SampleStrategy(cell)!.Value;
            Configuration config = Configuration.Create()
                .WithTestingIterations((uint)protocol.SampleIterations(cell, VerdictIterations))
                .WithRandomGeneratorSeed(0)
                .WithStrategy(name, bound);

            TestReport report = ModelRuns.Checked(config, r => SrcuModel.Run(r, variant, Scenario.Named(scenario), mutant)).TestReport;

            Assert.True(report.Bug?.Message?.Contains("P-SR-S3", StringComparison.Ordinal) == true, cell);
        }
    }

    /// <summary>The -i of the committed docs/srcu-verdicts.md.</summary>
    private const int VerdictIterations = 300;

    private static TestingEngine Pct(Scenario scenario, SrcuParams p) =>
        ModelRuns.Checked(
            Configuration.Create().WithTestingIterations(PctIterations).WithRandomGeneratorSeed(0).WithStrategy("fair-prioritization", 1),
            r => SrcuModel.Run(r, Variant.ForceSynchronization, scenario, p));
}
