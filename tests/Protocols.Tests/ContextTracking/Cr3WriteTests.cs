using Verify;
using Verify.Protocols.ContextTracking;
using Verify.SystematicTesting;
using Xunit;

namespace Protocols.Tests.ContextTracking;

/// <summary>
/// v6's entry SWITCH_TO_KERNEL_CR3 is a CR3 write, which serializes on x86: text poked before it
/// is what cpu0 runs afterwards, even in an NMI that lands between the entry's atomic and its flush.
/// </summary>
public sealed class Cr3WriteTests
{
    // A schedule recorded while the model's CR3 write did not refresh the text view: hk0 makes all
    // three pokes, each sync deferred, before cpu0 starts its syscall entry; cpu0 then switches
    // CR3, makes its atomic, and takes the NMI before ct_work_flush(). It reported the handler
    // running version 0 after the sync of version 3.
    private const string PokesBeforeTheCr3Write = """
        # verify-trace 1
        # test               Verify.Protocols.ContextTracking.ContextTrackingModel.V6Intended.TextPatchNmiInSyscallEntry.NoStaleText
        # strategy           probabilistic(flips=3, seed=707123004788228928)
        # iteration          17
        # seed               0
        # max-steps          100000
        # fair               true
        # liveness-threshold 50000
        # fail-on-max-steps  false
        # bug                Assertion: P-CT-S1: cpu0 executed __tracepoint_sched_switch at version 0 outside the danger zone, after the sender's sync of version 3 returned: stale text.
        # decisions          27
        sched 2
        sched 2
        sched 1
        sched 1
        sched 2
        sched 2
        sched 2
        sched 2
        sched 2
        sched 2
        sched 2
        sched 2
        sched 2
        sched 2
        sched 2
        sched 2
        sched 2
        sched 2
        sched 2
        sched 1
        int 4/6
        sched 1
        sched 1
        sched 1
        sched 1
        sched 1
        sched 1
        """;

    [Fact]
    public void PokesMadeBeforeTheEntrysCr3Write_AreWhatTheNestedNmiRuns()
    {
        TestingEngine engine = TestingEngine.Create(
            Configuration.Create().WithReproducibleTrace(PokesBeforeTheCr3Write),
            r => ContextTrackingModel.Run(r, Variant.V6Intended, Explore.Named("TextPatchNmiInSyscallEntry"), Explore.Only(Property.NoStaleText)));
        engine.Run();

        Assert.Null(engine.TestReport.Bug);
        Assert.Contains("RCU watching", engine.ReadableTrace, StringComparison.Ordinal);
        Assert.Contains("exc_nmi: static_branch(__tracepoint_sched_switch) executes version 3", engine.ReadableTrace, StringComparison.Ordinal);
    }
}
