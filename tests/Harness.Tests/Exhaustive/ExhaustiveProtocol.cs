using Verify.Protocols;

namespace Verify.Harness.Tests.Exhaustive;

/// <summary>
/// The protocol the `verdicts --exhaustive` tests hand the command: <see cref="ExhaustiveModel"/>'s
/// cells, with a state bound of <see cref="CountersBound"/> for <c>Safe.Counters.InOrder</c> (whose
/// space is larger) and <c>Safe.Counters.Finishes</c> sampled without a search.
/// </summary>
public sealed class ExhaustiveProtocol : Protocol
{
    internal const long CountersBound = 100;

    public override string Name => "Exhaustive";

    public override string Slug => "exhaustive-fixture";

    public override long? ExhaustiveStateBound(string cell) => cell switch
    {
        "Safe.Counters.InOrder" => CountersBound,
        "Safe.Counters.Finishes" => SampleOnly,
        _ => null,
    };
}
