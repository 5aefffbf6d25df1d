using FsCheck;
using FsCheck.Fluent;
using Verify.Protocols.ContextTracking;
using Verify.SystematicTesting;
using Xunit;
using CtProperty = Verify.Protocols.ContextTracking.Property;

namespace Protocols.Tests.ContextTracking;

/// <summary>
/// FsCheck makes schedules of work: the isolated CPU boots in user space, the kernel, idle or a
/// guest and makes one to three transitions from there, each an activity that starts in the
/// context the previous one left (from user space: syscalls, interrupts, NMIs, exceptions; in the
/// kernel: its code, an NMI, going idle through ct_cpuidle_enter(); idle: an interrupt or an NMI,
/// leaving idle through ct_cpuidle_exit(); a guest: a VM exit and re-entry), and a housekeeping
/// CPU's text patches, noinstr patches and vunmaps; the checker explores each one's interleavings.
/// The NMI nested in an entry (<see cref="Scenario.NestedNmi"/>) is left out on purpose: with it,
/// v6 with its setter expecting the CPU outside the kernel runs stale text (the breadth-first trace
/// traces/contexttracking-exhaustive/V6Intended.TextPatchNmiInSyscallEntry.NoStaleText.trace: the
/// NMI lands between the entry's atomic, which takes the work bit, and its ct_work_flush(), finds
/// RCU watching and does not flush, and its handler runs the site after the deferred sync returned).
/// A correct version (no deferral; v6 with that setter) never runs stale text in these schedules,
/// and no deferral never uses a stale translation either; v6's kernel-range deferral does (a
/// speculative walk between its entry flush and kernel_cr3_loaded = 1), so v6 is held to the text
/// properties only; with the flag also set whenever the kernel CR3 is loaded (FixKernelCr3LoadedOrder) it is held to all
/// five. Every counterexample of the others replays. The schedules are sampled: 30 of them, 200 runs each; the operations run
/// in sequence on one housekeeping CPU against one vmalloc area, and none frees a page table.
/// </summary>
public sealed class GeneratedScheduleTests
{
    // Each activity a script may use, by the context it starts in, with the context it leaves.
    private static readonly Dictionary<Activity, (Activity Boot, Activity Next)[]> Moves = new()
    {
        [Activity.User] = [.. Scenario.FromUser.Select(a => (a, Activity.User))],
        [Activity.Kernel] = [(Activity.Kernel, Activity.Kernel), (Activity.NmiFromKernel, Activity.Kernel), (Activity.CpuidleEnter, Activity.Idle)],
        [Activity.Idle] = [(Activity.IrqFromIdle, Activity.Idle), (Activity.NmiFromIdle, Activity.Idle), (Activity.CpuidleExit, Activity.Kernel)],
        [Activity.Guest] = [(Activity.Guest, Activity.Guest)],
    };

    // CpuidleExit leaves a wait that something ended: the start-up kick when the CPU boots idle, or an interrupt or NMI taken
    // from idle before it. Straight after CpuidleEnter's sti; hlt nothing has woken the CPU, so that move is left out there.
    private static Gen<List<Activity>> Script(Activity context, int length, Activity? previous = null) =>
        length == 0
            ? Gen.Constant(new List<Activity>())
            : from move in Gen.Elements(Moves[context].Where(m => !(m.Boot == Activity.CpuidleExit && previous == Activity.CpuidleEnter)).ToArray())
              from rest in Script(move.Next, length - 1, move.Boot)
              select rest.Prepend(move.Boot).ToList();

    private static readonly Gen<Scenario> Schedules =
        from boot in Gen.Elements(Activity.User, Activity.Kernel, Activity.Idle, Activity.Guest)
        from length in Gen.Choose(1, 3)
        from script in Script(boot, length)
        from ops in Gen.Elements(Sender.TextPatch, Sender.NoinstrPatch, Sender.RangeFlush).ListOf().Where(l => l.Count is >= 1 and <= 3).Select(l => l.ToList())
        select new Scenario { Name = "Generated", Activity = boot, Sender = Sender.TextPatch, Script = script, Operations = ops };

    private static readonly IReadOnlyList<CtProperty> Safety =
        [CtProperty.NoStaleText, CtProperty.DangerZone, CtProperty.NoLostWork, CtProperty.NoStaleTranslation, CtProperty.Ordering];

    private static readonly IReadOnlyList<CtProperty> TextSafety =
        [CtProperty.NoStaleText, CtProperty.DangerZone, CtProperty.NoLostWork, CtProperty.Ordering];

    [Fact]
    public void ACorrectVersion_NeverRunsStaleText_AndNoDeferralNeverUsesAStaleTranslation()
    {
        FsChecks.Check(Prop.ForAll(Schedules.ToArbitrary(), s =>
        {
            TestReport control = Explore.Run(Variant.NoDeferral, s, CtParams.Minimal with { Properties = Safety }, iterations: 200, seed: 5);
            TestReport fixedV6 = Explore.Run(Variant.V6, s, CtParams.Minimal with { Properties = TextSafety, FixExpectNotWatching = true }, iterations: 200, seed: 5);
            return control.Bug is null && fixedV6.Bug is null;
        }), seed: 20_261_206, maxTest: 30);
    }

    [Fact]
    public void V6WithBothFixes_HoldsEverySafetyProperty_InTheGeneratedSchedules()
    {
        // The setter expecting the CPU outside the kernel and the flag set whenever the kernel CR3 is loaded, against all five
        // safety properties (the schedules have no page-table freeing and one housekeeping CPU; sampled, not exhausted).
        FsChecks.Check(Prop.ForAll(Schedules.ToArbitrary(), s =>
        {
            TestReport fixedV6 = Explore.Run(Variant.V6, s, CtParams.Minimal with { Properties = Safety, FixExpectNotWatching = true, FixKernelCr3LoadedOrder = true }, iterations: 200, seed: 5);
            return fixedV6.Bug is null && fixedV6.Error is null;
        }), seed: 20_261_206, maxTest: 30);
    }

    [Fact]
    public void EveryCounterexample_OfAGeneratedSchedule_ReplaysToTheSameBug()
    {
        // Explore.Run replays each bug it finds from the trace text and asserts the same bug and no divergence.
        int found = 0;
        FsChecks.Check(Prop.ForAll((from v in Gen.Elements(Enum.GetValues<Variant>()) from s in Schedules select (v, s)).ToArbitrary(), c =>
        {
            TestReport report = Explore.Run(c.v, c.s, CtParams.Minimal with { Properties = Safety }, iterations: 100, seed: 7);
            found += report.Bug is null ? 0 : 1;
            return report.Error is null;
        }), seed: 20_261_206, maxTest: 40);

        Assert.True(found > 0);
    }
}
