using FsCheck;
using FsCheck.Fluent;
using Verify.Protocols.Qpw;
using Verify.SystematicTesting;
using Xunit;
using FsProperty = FsCheck.Property;
using QpwProperty = Verify.Protocols.Qpw.Property;

namespace Protocols.Tests.Qpw;

/// <summary>
/// FsCheck makes small configurations (two to four CPUs, which of them are isolated and hold items,
/// an owner's operations, a poller, a migration, a second drainer, draining the same caller's data
/// or another's (a work mix: two drains queue work on the same kworkers; without a writer or a poller), a cpuset writer isolating
/// CPU 0 while the drains run (the drainer then on CPU 1), PREEMPT_RT on or off (on for the ecpu
/// design), each version and caller) and the checker explores each one's schedules.
/// </summary>
public sealed class GeneratedConfigurationTests
{
    private static readonly Gen<Scenario> Scenarios =
        from caller in Gen.Elements(Enum.GetValues<Caller>())
        from cpus in Gen.Choose(2, 4)
        from isolated in Gen.Choose(0, (1 << cpus) - 1)
        from items in Gen.Choose(0, 2).ListOf(cpus).Select(l => l.ToList())
        from ops in Gen.Choose(0, 2)
        from poller in Gen.Elements(0, 1, 2)
        from migrates in Gen.Elements(false, true)
        from second in Gen.Elements(false, true)
        from secondCaller in Gen.Elements(Enum.GetValues<Caller>())
        from writer in Gen.Elements(false, false, true)
        select new Scenario
        {
            Name = "Generated",
            Caller = caller,
            Cpus = cpus,
            IsolatedAtBoot = isolated,
            ItemsAtBoot = items,
            OwnerOps = ops,
            PollerAtBoot = poller == 1 && ops == 0,
            PollerWakesAfterJiffies = poller == 2 && ops > 0 ? 1 : 0,
            OwnerMigratesAfterJiffies = migrates && ops > 0 && cpus > 1 ? 1 : 0,
            SecondDrainer = second && cpus > 1 && !writer, // with a writer the first drainer is on CPU 1, the second's CPU
            SecondCaller = second && cpus > 1 && !writer && poller == 0 && secondCaller != caller ? secondCaller : null,
            CpusetWriter = writer,
            DrainerStartSpread = 2,
        };

    private static readonly Arbitrary<(Variant, Scenario, QpwParams)> Configurations = (
        from variant in Gen.Elements(Enum.GetValues<Variant>())
        from scenario in Scenarios
        from rt in Gen.Elements(true, false)
        from ticks in Gen.Choose(2, 4)
        select (variant, scenario, QpwParams.Minimal with { MaxTicks = ticks, PreemptRt = rt || variant == Variant.EcpuEmulationRt })).ToArbitrary(); // the ecpu design is modelled on PREEMPT_RT only

    [Fact]
    public void SafetyProperties_Hold_ForGeneratedConfigurations()
    {
        int writers = 0;
        int mixes = 0;
        FsChecks.Check(Prop.ForAll(Configurations, c =>
        {
            (Variant variant, Scenario scenario, QpwParams p) = c;
            writers += scenario.CpusetWriter ? 1 : 0;
            mixes += scenario.SecondCaller is null ? 0 : 1;
            TestReport report = Explore.Run(variant, scenario, p with { Properties = [QpwProperty.MutualExclusion, QpwProperty.RightCpu, QpwProperty.Conservation] }, iterations: 30, seed: 3);
            return report.Bug is null;
        }), seed: 20_261_206, maxTest: 40);

        Assert.True(writers > 0, "no generated configuration had a cpuset writer");
        Assert.True(mixes > 0, "no generated configuration had a work mix");
    }

    [Fact]
    public void EveryCounterexample_OfAGeneratedConfiguration_ReplaysToTheSameBug()
    {
        // Explore.Run replays each bug it finds from the trace text and asserts the same bug and no divergence.
        int found = 0;
        FsChecks.Check(Prop.ForAll(Configurations, c =>
        {
            (Variant variant, Scenario scenario, QpwParams p) = c;
            TestReport report = Explore.Run(variant, scenario, p with { Properties = [QpwProperty.FlushCompletes, QpwProperty.NoIsolatedInterference], MutantCpuReadBeforePin = true }, iterations: 30, seed: 7);
            found += report.Bug is null ? 0 : 1;
            return report.Error is null;
        }), seed: 20_261_206, maxTest: 40);

        Assert.True(found > 0);
    }
}
