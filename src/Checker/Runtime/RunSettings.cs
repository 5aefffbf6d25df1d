namespace Verify.Runtime;

/// <summary>What shapes one iteration besides the strategy's answers; written into trace headers.</summary>
/// <param name="TimeoutDelay">Configuration.WithTimeoutDelay: a scheduled timer fires with probability 1/delay (0 and 1: always).</param>
/// <param name="AtomicSharedObjects">
/// Shared-object operations take effect within the handler's step instead of being scheduling
/// points: the stateful search runs so (a snapshot cannot hold a handler stopped halfway), and a
/// replay of its traces must too.
/// </param>
internal readonly record struct RunSettings(int MaxSteps, bool Fair, int LivenessThreshold, bool FailOnMaxSteps, int TimeoutDelay = 0, bool AtomicSharedObjects = false);

/// <summary>How an iteration ended.</summary>
internal enum RunEnd : byte
{
    /// <summary>No operation was enabled and no actor waits: the model terminated.</summary>
    Terminated,

    /// <summary>The step bound cut the run.</summary>
    StepBound,

    /// <summary>A bug ended it.</summary>
    Bug,
}
