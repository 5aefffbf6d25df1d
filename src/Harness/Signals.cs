using System.Runtime.InteropServices;
using System.Threading;
using Verify.SystematicTesting;

namespace Verify.Harness;

/// <summary>
/// SIGINT and SIGTERM: the first asks every running campaign to stop at its next iteration (or
/// search check) so the command prints its summary, writes its report and exits 130 (SIGINT) or
/// 143 (SIGTERM), unless it found a bug (2) or a model error (1); a second one kills the process.
/// </summary>
internal static class Signals
{
    private static int received;
    private static PosixSignalRegistration? onInt;
    private static PosixSignalRegistration? onTerm;

    /// <summary>The signal that stopped the run ("SIGINT", "SIGTERM"), or "a stop request" when the engine was asked otherwise.</summary>
    internal static string Name => Volatile.Read(ref received) switch
    {
        2 => "SIGINT",
        15 => "SIGTERM",
        _ => "a stop request",
    };

    /// <summary>The exit code of a run the signal stopped before it found anything.</summary>
    internal static ExitCode Code => Volatile.Read(ref received) == 15 ? ExitCode.Terminated : ExitCode.Interrupted;

    /// <summary>Installs the handlers (the `verify` process only; tests that call <see cref="Cli.Run"/> in-process do not).</summary>
    internal static void Install(TextWriter stderr)
    {
        onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => Handle(ctx, stderr, 2));
        onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => Handle(ctx, stderr, 15));
    }

    private static void Handle(PosixSignalContext ctx, TextWriter stderr, int number)
    {
        if (Interlocked.CompareExchange(ref received, number, 0) != 0)
        {
            // The second signal: the default action, which ends the process at once.
            ctx.Cancel = false;
            return;
        }

        ctx.Cancel = true;
        StopRequest.Request();
        stderr.WriteLine($"verify: {Name} received: stopping at the next iteration to print the summary and write the report; send it again to stop at once.");
    }
}
