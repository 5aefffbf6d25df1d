namespace Verify.Traces;

/// <summary>A trace file that cannot be read; the message names the line and what was expected.</summary>
public sealed class TraceFormatException : Exception
{
    public TraceFormatException(string message)
        : base(message)
    {
    }
}

/// <summary>A replay that no longer matches the model; the message names the step and why.</summary>
public sealed class TraceDivergenceException : Exception
{
    public TraceDivergenceException(int step, string reason)
        : base($"Trace diverged at step {step}: {reason}")
    {
        Step = step;
    }

    public int Step { get; }
}
