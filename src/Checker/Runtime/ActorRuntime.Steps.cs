using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using Verify.Actors;
using Verify.SystematicTesting;

namespace Verify.Runtime;

/// <summary>
/// Where a run is inside a step: what the effect bound counts, and what the watchdog reads from its
/// own thread when a step does not return (which step, which actor or monitor, which handler).
/// </summary>
internal sealed partial class ActorRuntime
{
    // The stack is checked on every StackCheckEvery-th effect or monitor action (a check costs about as
    // much as a send): a recursion that makes one at each level uses a few kilobytes between two checks,
    // well within the 128 KB that EnsureSufficientExecutionStack keeps in reserve.
    private const int StackCheckMask = 15;
    private int stackChecks;

    // Sends, creations and random choices of the step in progress; model log lines of it.
    private int stepEffects;
    private int stepLogLines;
    private long stepSerial;
    private volatile bool inBody;

    /// <summary>Steps and runs of the test method begun on this runtime, never reset: with the runtime it names one step.</summary>
    internal long StepSerial => Volatile.Read(ref stepSerial);

    /// <summary>The test method (or its continuation after an awaited group or idle actor) is running.</summary>
    internal bool InBody
    {
        get => inBody;
        private set => inBody = value;
    }

    /// <summary>A step or the test method is running: model code the engine waits for.</summary>
    internal bool InStep => InBody || Running is not null;

    /// <summary>The actor or monitor whose handler runs now (or ran last in this step), its name and the event it handles.</summary>
    internal object? HandlerOwner { get; private set; }

    internal string? HandlerName { get; private set; }

    internal object? HandlerEvent { get; private set; }

    /// <summary>
    /// A step begins. The handler it runs says so itself (<see cref="EnterHandler"/>); a step that runs
    /// none (a delivery) runs no model code, so what the last handler left there is never read for it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void BeginStep()
    {
        stepEffects = 0;
        stepLogLines = 0;
        Volatile.Write(ref stepSerial, stepSerial + 1);
    }

    /// <summary>The test method runs (or goes on after an await): a step of no actor and no handler.</summary>
    private void BeginBody()
    {
        BeginStep();
        HandlerOwner = null;
        HandlerName = null;
        HandlerEvent = null;
        InBody = true;
    }

    /// <summary>Called by an actor as it enters a handler or callback (always near the bottom of the step's stack).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void EnterHandler(Actor owner, string name, object? e)
    {
        HandlerOwner = owner;
        HandlerName = name;
        HandlerEvent = e;
    }

    /// <summary>
    /// A monitor's action runs inside an actor's step; the caller puts back what it saw before with
    /// <see cref="LeaveMonitorAction"/>. A monitor action that notifies monitors again recurses through
    /// here: near the stack's end this throws InsufficientExecutionStackException into the model code
    /// that notified, whose handler reports it as an exception.
    /// </summary>
    internal (object? Owner, string? Name, object? Event) EnterMonitorAction(Specifications.Monitor owner, string name, object? e)
    {
        CheckStack();
        (object?, string?, object?) outer = (HandlerOwner, HandlerName, HandlerEvent);
        HandlerOwner = owner;
        HandlerName = name;
        HandlerEvent = e;
        return outer;
    }

    internal void LeaveMonitorAction((object? Owner, string? Name, object? Event) outer) =>
        (HandlerOwner, HandlerName, HandlerEvent) = outer;

    /// <summary>
    /// Counts one send, creation or random choice of the step in progress (outside calls of a hosted
    /// runtime are no step and are not counted); past <see cref="Configuration.MaxEffectsPerStep"/> the step
    /// is a bug. Deep recursion that sends or chooses at each level meets the stack's end here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountEffect()
    {
        if ((Running is not null || InBody) && ++stepEffects > Configuration.MaxEffectsPerStep)
        {
            ReportEffectBound();
        }

        CheckStack();
    }

    private void ReportEffectBound() =>
        ReportBug(BugKind.EffectBound,
            string.Create(CultureInfo.InvariantCulture, $"{Where()} made more than {Configuration.MaxEffectsPerStep:N0} sends, creations and random choices in step {Steps}. ")
            + "A handler that loops without a scheduling point usually causes this: each send or creation is delivered at a later step, so the loop never yields. "
            + "Bound the loop, or let the actor send itself an event for each round.");

    /// <summary>Near the stack's end (every few calls; see <see cref="StackCheckMask"/>), throws InsufficientExecutionStackException into the model code that called.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckStack()
    {
        if ((++stackChecks & StackCheckMask) == 0)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
        }
    }

    /// <summary>A model log line for the readable trace; a step that logs in an endless loop keeps its first lines only.</summary>
    private void ModelLine(string text)
    {
        if (++stepLogLines <= Configuration.MaxEffectsPerStep)
        {
            Log!.ModelLine(text);
        }
        else if (stepLogLines == Configuration.MaxEffectsPerStep + 1)
        {
            Log!.ModelLine(string.Create(CultureInfo.InvariantCulture, $"(more than {Configuration.MaxEffectsPerStep:N0} log lines in this step: the rest are left out)"));
        }
    }

    /// <summary>
    /// The step in progress in words: "Server(2) in Busy, in handler OnPing handling Ping", "monitor
    /// Safety in Watching, in action OnNotify handling Seen (notified by Server(2))", "the test method".
    /// Read by the watchdog from its own thread while the step does not return.
    /// </summary>
    internal string Where()
    {
        Actor? actor = Running;
        object? owner = HandlerOwner;
        string handler = HandlerName is string h ? $", in {(owner is Specifications.Monitor ? "action" : "handler")} {h}{Handling(HandlerEvent)}" : string.Empty;
        if (owner is Specifications.Monitor m)
        {
            string by = actor is not null ? $" (notified by {actor.Id}{actor.InState})" : InBody ? " (notified by the test method)" : string.Empty;
            return $"monitor {m.Name} in {m.CurrentInfo.Name}{handler}{by}";
        }

        return actor is not null ? $"{actor.Id}{actor.InState}{handler}" : "the test method";
    }

    private static string Handling(object? e) => e switch
    {
        null => string.Empty,
        Event ev => " handling " + Actor.Describe(ev),
        _ => " handling " + e.GetType().Name,
    };

    /// <summary>Runs a continuation of the test method (after an idle wait) as a step of the body, for the watchdog and the effect bound.</summary>
    private void AsBody(Action continuation)
    {
        BeginBody();
        try
        {
            continuation();
        }
        finally
        {
            InBody = false;
        }
    }
}
