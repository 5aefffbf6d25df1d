using Verify.Actors;
using Verify.Runtime;
using Verify.Strategies;
using Verify.Traces;
using Monitor = Verify.Specifications.Monitor;
using Trace = Verify.Traces.Trace;

namespace Verify.StateSpace;

/// <summary>
/// Replays a lasso trace (a stem, then a loop; see <see cref="Trace.LoopStart"/>) and checks that it
/// is a liveness counterexample: the loop returns to the state it started in (same state hash), some
/// monitor is hot in every state of the loop, every actor enabled anywhere in the loop takes a step
/// in it, and every random choice made in the loop takes each of its values in it from the same state
/// (after the same earlier answers of the same step), so a fair run can go around it forever (see
/// <see cref="LivenessGraph"/> for the fairness labels). The stateful search builds its liveness
/// bug by this replay too, so the report and any later replay agree word for word.
/// </summary>
internal static class Lasso
{
    internal static ActorRuntime Replay(Func<IActorRuntime, Task?> test, Trace trace, DecisionLog decisions, RunSettings settings, bool log, out ReplayStrategy replay)
    {
        int loopStart = trace.LoopStart ?? throw new ArgumentException("not a lasso trace", nameof(trace));
        replay = new ReplayStrategy(trace.Decisions, fair: false);
        replay.PrepareIteration(0);
        var runtime = new ActorRuntime(replay, decisions, settings, log);
        ReplayStrategy strategy = replay;
        runtime.Run(test, () => Run(runtime, strategy, loopStart));
        return runtime;
    }

    private static void Run(ActorRuntime runtime, ReplayStrategy replay, int loopStart)
    {
        var capture = new StateCapture();
        UInt128 start = 0;
        bool inLoop = false;
        int stemSteps = 0;
        int loopSteps = 0;
        ulong hot = 0;
        var enabledInLoop = new SortedSet<int>();
        var ranInLoop = new SortedSet<int>();
        var offered = new SortedDictionary<string, ChoiceValue>(StringComparer.Ordinal);
        var carried = new HashSet<string>(StringComparer.Ordinal);
        var hotStates = new List<string>();
        while (replay.Remaining > 0)
        {
            if (!inLoop && replay.Consumed >= loopStart)
            {
                if (replay.Consumed > loopStart)
                {
                    throw new TraceDivergenceException(replay.Consumed,
                        "the trace's loop does not begin at a scheduling decision (it begins among a step's or the test body's random choices).");
                }

                inLoop = true;
                stemSteps = runtime.Steps;
                start = capture.Capture(runtime);
                hot = HotMask(runtime);
                runtime.Log?.Add($"-- the loop begins: the steps from here return to this state, and a fair run can repeat them forever --");
            }

            int n = runtime.CollectEnabled();
            if (n == 0)
            {
                throw new TraceDivergenceException(replay.Consumed + 1,
                    $"no operation is enabled, but the trace has {replay.Remaining} more decisions; the model changed since the trace was recorded.");
            }

            ReadOnlySpan<int> enabled = runtime.EnabledIds(n);
            if (inLoop)
            {
                hot &= HotMask(runtime);
                NoteHotStates(runtime, hotStates);
                foreach (int id in enabled)
                {
                    enabledInLoop.Add(id);
                }
            }

            int pick = enabled[replay.PickOperation(enabled, 0)];
            UInt128 here = inLoop ? capture.Capture(runtime) : 0;
            int before = runtime.DecisionCount;
            runtime.RunStep(pick, n);
            if (runtime.Bug is not null)
            {
                return;
            }

            if (inLoop)
            {
                ranInLoop.Add(pick);
                loopSteps++;
                Choices(runtime.DecisionsSince(before + 1), here, pick, offered, carried);
            }
        }

        if (!inLoop)
        {
            throw new TraceDivergenceException(replay.Consumed,
                "the trace's loop does not begin at a scheduling decision (it begins among a step's or the test body's random choices).");
        }

        Check(runtime, replay, capture, start, hot, enabledInLoop, ranInLoop, loopSteps);
        if (offered.Where(kv => !carried.Contains(kv.Key)).Select(kv => kv.Value).FirstOrDefault() is { } missed)
        {
            string after = missed.Before.Length == 0 ? "as its first choice" : $"after answers [{missed.Before}]";
            throw new TraceDivergenceException(replay.Consumed,
                $"the loop is unfair: {Names(runtime, [missed.Actor])} makes a random choice in it that never takes value {missed.Value} ({after}) from the same state; "
                + "a choice made at a state the loop passes forever takes each of its values there on some round.");
        }

        Report(runtime, hot, ranInLoop, hotStates, stemSteps, loopSteps);
    }

    private static void Check(ActorRuntime runtime, ReplayStrategy replay, StateCapture capture, UInt128 start, ulong hot, SortedSet<int> enabledInLoop, SortedSet<int> ranInLoop, int loopSteps)
    {
        int at = replay.Consumed;
        if (capture.Capture(runtime) != start)
        {
            throw new TraceDivergenceException(at,
                $"the loop of {Steps(loopSteps)} does not return to the state it began in, so it is not a cycle; the model changed since the trace was recorded.");
        }

        if (hot == 0)
        {
            throw new TraceDivergenceException(at, "no monitor is hot in every state of the loop, so going around it is no liveness violation.");
        }

        enabledInLoop.ExceptWith(ranInLoop);
        if (enabledInLoop.Count > 0)
        {
            throw new TraceDivergenceException(at,
                $"the loop is unfair: {Names(runtime, enabledInLoop)} {(enabledInLoop.Count == 1 ? "is" : "are")} enabled in it but never {(enabledInLoop.Count == 1 ? "runs" : "run")}.");
        }

    }

    private static void Report(ActorRuntime runtime, ulong hot, SortedSet<int> ranInLoop, List<string> hotStates, int stemSteps, int loopSteps)
    {
        Monitor m = runtime.Monitors[System.Numerics.BitOperations.TrailingZeroCount(hot)];
        string states = string.Join(", ", hotStates.Where(s => s.StartsWith(m.Name + ".", StringComparison.Ordinal)).Select(s => s[(m.Name.Length + 1)..]).Distinct());
        runtime.TryReport(BugKind.Liveness,
            $"Monitor {m.Name} detected a liveness bug: it stays hot forever on a fair cycle: after {stemSteps} steps, a loop of {Steps(loopSteps)} returns to the same state "
            + $"with {m.Name} hot throughout (in {states}); every actor enabled in the loop runs in it ({Names(runtime, ranInLoop)}) and every choice in it takes each of its values.");
    }

    private static string Steps(int n) => n == 1 ? "1 step" : $"{n} steps";

    /// <summary>A value a random choice could take: the actor, the answers of its step before the choice, the value.</summary>
    private sealed record ChoiceValue(int Actor, string Before, int Value);

    /// <summary>
    /// The choices of one step of <paramref name="actor"/> from the state hashed <paramref name="state"/>
    /// with random answers <paramref name="answers"/>: each value taken is carried, and each value a
    /// choice could have taken there, after the same earlier answers, is offered. Keys name the state,
    /// the actor and the answers up to and including the value.
    /// </summary>
    private static void Choices(ReadOnlySpan<Decision> answers, UInt128 state, int actor, SortedDictionary<string, ChoiceValue> offered, HashSet<string> carried)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        string point = string.Create(c, $"{state:x32}|{actor}:");
        var before = new List<int>();
        foreach (Decision d in answers)
        {
            string done = string.Join(", ", before);
            for (int y = 0; y < d.Bound; y++)
            {
                offered.TryAdd(string.Create(c, $"{point}{done}/{y}"), new ChoiceValue(actor, done, y));
            }

            carried.Add(string.Create(c, $"{point}{done}/{d.Value}"));
            before.Add(d.Value);
        }
    }

    /// <summary>Bit i set when monitor i is in a hot state (monitors past the 64th are not tracked).</summary>
    internal static ulong HotMask(ActorRuntime runtime)
    {
        ulong mask = 0;
        IReadOnlyList<Monitor> monitors = runtime.Monitors;
        for (int i = 0; i < monitors.Count && i < 64; i++)
        {
            if (monitors[i].IsHot)
            {
                mask |= 1UL << i;
            }
        }

        return mask;
    }

    private static void NoteHotStates(ActorRuntime runtime, List<string> names)
    {
        foreach (Monitor m in runtime.Monitors)
        {
            if (m.IsHot)
            {
                names.Add(m.Name + "." + m.CurrentInfo.Name);
            }
        }
    }

    private static string Names(ActorRuntime runtime, IEnumerable<int> ids) =>
        string.Join(", ", ids.Select(id => runtime.Actors[id - 1]?.Id.ToString() ?? $"operation {id}"));
}
