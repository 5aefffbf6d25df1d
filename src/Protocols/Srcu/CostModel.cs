namespace Verify.Protocols.Srcu;

/// <summary>
/// The statistics' cost model: what a statement costs, so that the statements a run executes between
/// ticks give elapsed time. Typical figures, not fitted to the measurements they are set beside.
/// A jiffy of a busy CPU is 1/HZ s of statements; udelay(5) is 5 us of them; a reader scan is one
/// statement per CPU and counter; a worker invocation is its statements (the queueing, the kworker's
/// wakeup and context switch, process_srcu() itself), each at the same rate.
/// </summary>
internal static class CostModel
{
    /// <summary>One statement (a shared access, a lock operation, a context-switch step): 250 ns.</summary>
    internal const int NsPerStatement = 250;

    /// <summary>Statements in a jiffy at <paramref name="hz"/>: 1/HZ s at <see cref="NsPerStatement"/>.</summary>
    internal static int StatementsPerJiffy(int hz) => 1_000_000_000 / hz / NsPerStatement;
}
