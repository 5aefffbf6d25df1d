using System.Text;
using Verify.Actors;
using Verify.Runtime;
using Verify.Specifications;

namespace Verify;

/// <summary>
/// The readable trace: one short line per model-level event (who ran at which step, what it
/// dequeued, sent, entered; monitor states; random answers). Built only when replaying or with -v.
/// </summary>
internal sealed class ReadableLog
{
    private readonly List<string> lines = [];
    private readonly Func<int> step;

    internal ReadableLog(Func<int> step) => this.step = step;

    internal IReadOnlyList<string> Lines => lines;

    internal void Add(string text) => lines.Add($"[{step(),5}] {text}");

    internal void Started(Actor a) => Add($"{a.Id} starts");

    internal void Created(Actor? creator, Actor a) =>
        Add(creator is null ? $"test creates {a.Id}" : $"{creator.Id} creates {a.Id}");

    internal void Sent(Actor? sender, ActorId target, Event e, bool dropped) =>
        Add($"{(sender is null ? "test" : sender.Id.ToString())} sends {Actor.Describe(e)} to {target}{(dropped ? " (halted: dropped)" : string.Empty)}");

    internal void Dequeued(Actor a, in Envelope env) =>
        Add($"{a.Id}{a.InState} dequeues {Actor.Describe(env.Event)}{(env.Sender is null ? string.Empty : $" from {env.Sender}")}");

    internal void Default(Actor a) => Add($"{a.Id}{a.InState} handles the default event");

    internal void Ignored(Actor a, Event e) => Add($"{a.Id}{a.InState} ignores {Actor.Describe(e)}");

    internal void Received(Actor a, in Envelope env) => Add($"{a.Id} receives {Actor.Describe(env.Event)}");

    internal void Waiting(Actor a, string types) => Add($"{a.Id} waits to receive {types}");

    internal void Halted(Actor a) => Add($"{a.Id} halts");

    internal void Note(Actor a, string text) => Add($"{a.Id} {text}");

    internal void Entered(Actor a, StateInfo s) => Add($"{a.Id} enters {s.Name}");

    internal void Goto(Actor a, StateInfo from, StateInfo to) => Add($"{a.Id} {from.Name} -> {to.Name}");

    internal void Pushed(Actor a, StateInfo s) => Add($"{a.Id} pushes {s.Name}");

    internal void Popped(Actor a, StateInfo from, StateInfo to) => Add($"{a.Id} pops {from.Name}, back in {to.Name}");

    internal void MonitorEvent(Monitor m, Monitor.Event e) => Add($"  monitor {m.Name} in {m.CurrentInfo.Name} observes {e.GetType().Name}");

    internal void MonitorEntered(Monitor m, StateInfo? from, StateInfo to) =>
        Add($"  monitor {m.Name}: {(from is null ? "starts in " : from.Name + " -> ")}{to.Name}{Temperature(to)}");

    internal void Random(Actor? a, string what) => Add($"{(a is null ? "test" : a.Id.ToString())} chooses {what}");

    internal void Bug(BugReport bug) => Add($"BUG {bug.Summary}");

    internal void ModelLine(string text) => Add($"  log: {text}");

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (string l in lines)
        {
            sb.Append(l).Append('\n');
        }

        return sb.ToString();
    }

    private static string Temperature(StateInfo s) => s.IsHot ? " (hot)" : s.IsCold ? " (cold)" : string.Empty;
}
