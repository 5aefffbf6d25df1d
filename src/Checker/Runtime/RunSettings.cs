namespace Verify.Runtime;

/// <summary>What shapes one iteration besides the strategy's answers; written into trace headers.</summary>
internal readonly record struct RunSettings(int MaxSteps, bool Fair, int LivenessThreshold, bool FailOnMaxSteps);

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
