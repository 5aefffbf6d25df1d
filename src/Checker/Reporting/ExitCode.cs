namespace Verify;

/// <summary>Process exit codes of the CLI, as Coyote's plus one for replay divergence.</summary>
public enum ExitCode
{
    Success = 0,
    Error = 1,
    BugFound = 2,
    InternalError = 3,
    Diverged = 4,
}
