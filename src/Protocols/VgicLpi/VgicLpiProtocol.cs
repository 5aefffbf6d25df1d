namespace Verify.Protocols.VgicLpi;

/// <summary>
/// The vGIC LPI model as the command line sees it: `verify verdicts VgicLpi`, and `verify stats
/// vgic-lpi`: what an injection costs per version in the configurations of vgic_lpi_stress.
/// </summary>
public sealed partial class VgicLpiProtocol : Protocol
{
    public override string Name => "VgicLpi";

    public override string Slug => "vgic-lpi";
}
