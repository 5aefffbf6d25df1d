namespace Verify;

/// <summary>A bug found in one iteration: its kind, message and where it happened.</summary>
public sealed record BugReport(BugKind Kind, string Message, int Step, string? Actor)
{
    /// <summary>One line for summaries and trace headers.</summary>
    public string Summary => $"{Kind}: {Message}";
}

/// <summary>Raised to <c>OnFailure</c> subscribers and by <c>ThrowIfBugFound</c>.</summary>
public sealed class AssertionFailureException : Exception
{
    public AssertionFailureException(string message)
        : base(message)
    {
    }
}

/// <summary>Unwinds model code once a bug is recorded; never escapes the engine.</summary>
internal sealed class BugFoundException : Exception
{
    internal BugFoundException()
        : base("bug found")
    {
    }
}
