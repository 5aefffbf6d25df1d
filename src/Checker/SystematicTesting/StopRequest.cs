namespace Verify.SystematicTesting;

/// <summary>
/// A request to stop every campaign in the process (the CLI makes it on SIGINT or SIGTERM). Runs
/// stop at their next iteration boundary, a stateful search at its next check (every 1,024
/// transitions); each reports what it did so far with <see cref="TestReport.Interrupted"/> set.
/// Read once per iteration, never per step.
/// </summary>
public static class StopRequest
{
    private static volatile bool requested;

    public static bool IsRequested => requested;

    public static void Request() => requested = true;

    /// <summary>Clears the request (a host that runs campaigns again after stopping one).</summary>
    public static void Reset() => requested = false;
}
