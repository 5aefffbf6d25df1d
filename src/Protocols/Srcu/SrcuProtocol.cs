namespace Verify.Protocols.Srcu;

/// <summary>
/// SRCU's expedited-delay heuristics as the command line sees them: `verify verdicts Srcu`, and
/// `verify stats srcu` (<see cref="SrcuStatisticsDocument"/>).
/// </summary>
public sealed class SrcuProtocol : Protocol
{
    public override string Name => "Srcu";

    public override string Slug => "srcu";
}
