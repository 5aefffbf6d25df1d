namespace Verify;

/// <summary>Process exit codes of the CLI, as Coyote's plus one for replay divergence.</summary>
public enum ExitCode
{
    Success = 0,
    Error = 1,
    BugFound = 2,
    InternalError = 3,
    Diverged = 4,

    /// <summary>
    /// A step did not return (a handler looping without a scheduling point, or blocked): the watchdog
    /// gave up on it after the time limit and its grace, the summary and the trace so far were written,
    /// and the process ends with that step's thread still running, the rest of the work not done.
    /// </summary>
    Hang = 5,

    /// <summary>Stopped by SIGINT before the bound, no bug found so far (128 + 2, as shells report it).</summary>
    Interrupted = 130,

    /// <summary>Stopped by SIGTERM before the bound, no bug found so far (128 + 15).</summary>
    Terminated = 143,
}
