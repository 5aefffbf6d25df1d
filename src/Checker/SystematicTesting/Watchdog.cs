using System.Diagnostics;
using System.Globalization;
using System.Threading;
using Verify.Runtime;
using Verify.Traces;

namespace Verify.SystematicTesting;

/// <summary>A runner the watchdog watches: of iterations, of a stateful search, of a replay.</summary>
internal interface IWatched
{
    /// <summary>The runtime of the run in progress, or null before the first.</summary>
    ActorRuntime? Runtime { get; }

    /// <summary>The decisions of the run in progress so far, read while its step does not return.</summary>
    Decision[] DecisionsSoFar();
}

/// <summary>A step that did not return: the runner, its runtime, the bug that says where, and the decisions up to it.</summary>
/// <param name="RunningFor">How long the watchdog saw the step running before it gave up on it (at least the grace).</param>
/// <param name="At">When it gave up, on the job's clock.</param>
/// <param name="OnRequest">The watchdog began to watch because a stop was requested (<see cref="StopRequest"/>), not at the time limit.</param>
internal sealed record Hang(IWatched Watched, ActorRuntime Runtime, BugReport Bug, Decision[] Decisions, bool InBody, TimeSpan RunningFor, TimeSpan At, bool OnRequest);

/// <summary>
/// Runs an engine job (a campaign, a search, a replay) on a thread of its own with a stack of
/// <see cref="StackSize"/> bytes, and watches the steps of the runners it registers. A step runs
/// model code, which .NET cannot interrupt: once the clock passes the time limit, a step still
/// running after the grace (the same step, seen again and again) is given up on. The job's
/// thread is a background thread and is left running; the caller reports the step as a
/// <see cref="BugKind.Hang"/> with the decisions that led to it, and the process that wants to end
/// can (a background thread does not keep it alive).
/// </summary>
internal sealed class Watchdog
{
    /// <summary>
    /// The stack of every thread that runs iterations, searches and replays: 16 MB, whatever the
    /// process's main thread has. Recursion through the engine (a monitor action notifying monitors,
    /// sends or random choices at every level of a recursive method) meets its end as an
    /// InsufficientExecutionStackException the step reports; recursion in model code alone that
    /// never calls the engine overflows it, which .NET cannot catch: the process dies.
    /// </summary>
    internal const int StackSize = 16 * 1024 * 1024;

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly object gate = new();
    private readonly List<IWatched> watched = [];

    internal void Watch(IWatched w)
    {
        lock (gate)
        {
            watched.Add(w);
        }
    }

    /// <summary>
    /// Runs <paramref name="job"/> on a new thread and waits for it. Once <paramref name="clock"/> has
    /// passed <paramref name="from"/> (never, when it is infinite), or a stop is requested (SIGINT,
    /// SIGTERM: the job stops at its next iteration, which a stalled step never reaches), a step seen
    /// running for <paramref name="grace"/> ends the wait and is returned. An exception of the job
    /// is thrown here. Null when the job returned.
    /// </summary>
    internal Hang? Run(Action job, Stopwatch clock, TimeSpan from, TimeSpan grace)
    {
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    job();
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            },
            StackSize)
        {
            IsBackground = true,
            Name = "verify-run",
        };
        thread.Start();
        Hang? hang = Watch(thread, clock, from, grace);
        if (hang is null && failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return hang;
    }

    private Hang? Watch(Thread thread, Stopwatch clock, TimeSpan from, TimeSpan grace)
    {
        bool onRequest = false;
        while (from == Timeout.InfiniteTimeSpan || clock.Elapsed < from)
        {
            if (StopRequest.IsRequested)
            {
                onRequest = true;
                break;
            }

            TimeSpan wait = from == Timeout.InfiniteTimeSpan ? Poll : TimeSpan.FromTicks(Math.Clamp((from - clock.Elapsed).Ticks, 1, Poll.Ticks));
            if (thread.Join(wait))
            {
                return null;
            }
        }

        // Each runner's step in progress when first seen: the runtime, its step serial, and when.
        var seen = new Dictionary<IWatched, (ActorRuntime Runtime, long Serial, TimeSpan Since)>();
        while (!thread.Join(Poll))
        {
            IWatched[] now;
            lock (gate)
            {
                now = [.. watched];
            }

            foreach (IWatched w in now)
            {
                ActorRuntime? r = w.Runtime;
                if (r is null || !r.InStep)
                {
                    seen.Remove(w);
                    continue;
                }

                long serial = r.StepSerial;
                if (seen.TryGetValue(w, out var s) && ReferenceEquals(s.Runtime, r) && s.Serial == serial && r.InStep)
                {
                    TimeSpan runningFor = clock.Elapsed - s.Since;
                    if (runningFor >= grace)
                    {
                        return Describe(w, r, runningFor, clock.Elapsed, onRequest);
                    }
                }
                else
                {
                    seen[w] = (r, serial, clock.Elapsed);
                }
            }
        }

        return null;
    }

    private static Hang Describe(IWatched w, ActorRuntime r, TimeSpan runningFor, TimeSpan at, bool onRequest)
    {
        bool body = r.InBody;
        int step = r.Steps;
        string message = string.Create(CultureInfo.InvariantCulture, $"Step {step} did not return: {r.Where()}. ")
            + "A loop without a scheduling point, or a call that blocks (Thread.Sleep, a lock, I/O), in model code causes this; "
            + "model code cannot be interrupted, so the run was given up with the step still running.";
        var bug = new BugReport(BugKind.Hang, message, step, body ? null : r.Running?.Id.Name);
        return new Hang(w, r, bug, w.DecisionsSoFar(), body, runningFor, at, onRequest);
    }

    /// <summary>
    /// Waits until <paramref name="done"/> holds, at most <paramref name="patience"/>: the other
    /// workers of a job with a step that does not return stop at their next iteration or check.
    /// </summary>
    internal static void Await(Func<bool> done, TimeSpan patience)
    {
        var wait = Stopwatch.StartNew();
        while (!done() && wait.Elapsed < patience)
        {
            Thread.Sleep(10);
        }
    }

    /// <summary>The summary's line for a step the watchdog gave up on.</summary>
    internal static string Line(Hang h, TimeSpan limit) => string.Create(CultureInfo.InvariantCulture,
        $"step {h.Bug.Step} was still running {h.RunningFor.TotalSeconds:F1} s after the watchdog first saw it, {(h.OnRequest ? "after the request to stop" : limit > TimeSpan.Zero ? $"{(h.At - limit).TotalSeconds:F1} s past the {limit.TotalSeconds:0.#} s time limit" : $"{h.At.TotalSeconds:F1} s into the replay")}; its thread is left running, so the process must end");
}
