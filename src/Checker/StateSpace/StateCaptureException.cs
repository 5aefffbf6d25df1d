namespace Verify.StateSpace;

/// <summary>The model state holds something stateful search cannot hash or restore; surfaces as TestReport.Error.</summary>
public sealed class StateCaptureException : Exception
{
    public StateCaptureException(string message)
        : base(message)
    {
    }
}
