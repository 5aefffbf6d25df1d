namespace Verify.Traces;

/// <summary>
/// A reproducible trace: a header naming the test and the settings that shape a run,
/// then the decisions in order. Nothing else is needed to rerun the iteration.
/// </summary>
public sealed record Trace
{
    public const int FormatVersion = 1;

    public required string Test { get; init; }

    /// <summary>
    /// The scenario parameters the run's test was built with (<c>NAME=VALUE</c>, in order), written as
    /// <c># param</c> lines: the decisions belong to that configuration, so a replay needs them.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    public string Strategy { get; init; } = "replay";

    public int Iteration { get; init; }

    /// <summary>The campaign's seed; null for a run no seed shaped (a stateful search, which tries every choice).</summary>
    public ulong? Seed { get; init; }

    /// <summary>The step bound the run had (the unfair or the fair one).</summary>
    public int MaxSteps { get; init; }

    /// <summary>Whether the run was fair, i.e. checked liveness by temperature.</summary>
    public bool Fair { get; init; }

    public int LivenessThreshold { get; init; }

    public bool FailOnMaxSteps { get; init; }

    /// <summary>Configuration.WithTimeoutDelay of the run; 0 when unset.</summary>
    public int TimeoutDelay { get; init; }

    /// <summary>Shared-object operations took effect within their handler's step (a stateful search's trace), not as scheduling points.</summary>
    public bool AtomicSharedObjects { get; init; }

    /// <summary>The bug the run ended with, as <c>Kind: message</c>, or null.</summary>
    public string? Bug { get; init; }

    public required IReadOnlyList<Decision> Decisions { get; init; }

    /// <summary>
    /// For a liveness counterexample found as a cycle (a lasso): the index of the first decision of
    /// the loop. Decisions before it are the stem; those from it on return the model to the state the
    /// loop started in, so a fair run can repeat them forever. Null for an ordinary trace.
    /// </summary>
    public int? LoopStart { get; init; }
}
