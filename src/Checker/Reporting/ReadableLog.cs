using System.Runtime.CompilerServices;
using System.Text;
using Verify.Actors;
using Verify.Logging;
using Verify.Runtime;
using Verify.Specifications;

namespace Verify;

/// <summary>
/// The readable trace: one short line per model-level event (who ran at which step, what it
/// dequeued, sent, entered; monitor states; random answers). Built only when replaying or with -v.
/// Each line has a typed twin in <see cref="Events"/> for the timeline and HTML views.
/// </summary>
internal sealed class ReadableLog
{
    private readonly List<TraceEvent> events = [];
    private readonly Func<int> step;
    private readonly Func<Actor?> running;

    // Sends not yet consumed, per (event object, receiver): a re-sent event object is a new message.
    private readonly Dictionary<(Event, long), Queue<int>> inFlight = new(new InFlightComparer());
    private readonly Dictionary<long, int> creations = [];
    private int messages;

    // Observers registered with IActorRuntime.RegisterLog; null when there are none.
    private List<IActorRuntimeLog>? observers;

    internal ReadableLog(Func<int> step, Func<Actor?>? running = null)
    {
        this.step = step;
        this.running = running ?? (() => null);
    }

    internal IEnumerable<string> Lines => events.Select(Line);

    internal void AddObserver(IActorRuntimeLog log) => (observers ??= []).Add(log);

    internal void RemoveObserver(IActorRuntimeLog log) => observers?.Remove(log);

    internal void ClearObservers() => observers = null;

    internal IReadOnlyList<TraceEvent> Events => events;

    internal void Add(string text) => Add(TraceEventKind.Note, running(), text, text);

    internal void Started(Actor a) =>
        Add(TraceEventKind.Started, a, string.Empty, $"{a.Id} starts",
            creations.Remove(a.Id.Value, out int m) ? m : 0);

    internal void Created(Actor? creator, Actor a)
    {
        int m = ++messages;
        creations[a.Id.Value] = m;
        Add(TraceEventKind.Created, creator, a.Id.ToString(),
            creator is null ? $"test creates {a.Id}" : $"{creator.Id} creates {a.Id}", m, a.Id);
        if (observers is not null)
        {
            foreach (IActorRuntimeLog o in observers)
            {
                if (a is StateMachine)
                {
                    o.OnCreateStateMachine(a.Id, creator?.Id.Name!, creator?.GetType().FullName!);
                }
                else
                {
                    o.OnCreateActor(a.Id, creator?.Id.Name!, creator?.GetType().FullName!);
                }
            }
        }
    }

    internal void Sent(Actor? sender, ActorId target, Event e, bool dropped, EventGroup? group = null)
    {
        if (observers is not null)
        {
            foreach (IActorRuntimeLog o in observers)
            {
                o.OnSendEvent(target, sender?.Id.Name!, sender?.GetType().FullName!, sender?.StateName!, e, group!, dropped);
            }
        }

        int m = ++messages;
        if (!dropped)
        {
            var key = (e, target.Value);
            if (!inFlight.TryGetValue(key, out Queue<int>? q))
            {
                inFlight[key] = q = new Queue<int>(1);
            }

            q.Enqueue(m);
        }

        Add(TraceEventKind.Sent, sender, Actor.Describe(e) + (dropped ? " (dropped)" : string.Empty),
            $"{(sender is null ? "test" : sender.Id.ToString())} sends {Actor.Describe(e)} to {target}{(dropped ? " (halted: dropped)" : string.Empty)}",
            m, target);
    }

    internal void Dequeued(Actor a, in Envelope env)
    {
        if (observers is not null)
        {
            foreach (IActorRuntimeLog o in observers)
            {
                o.OnDequeueEvent(a.Id, a.StateName!, env.Event);
            }
        }

        Add(TraceEventKind.Dequeued, a, Actor.Describe(env.Event),
            $"{a.Id}{a.InState} dequeues {Actor.Describe(env.Event)}{(env.Sender is null ? string.Empty : $" from {env.Sender}")}",
            Consume(env.Event, a), env.Sender);
    }

    internal void Default(Actor a)
    {
        Each(o => o.OnDefaultEventHandler(a.Id, a.StateName!));
        Add(TraceEventKind.Default, a, "DefaultEvent", $"{a.Id}{a.InState} handles the default event");
    }

    internal void Ignored(Actor a, Event e)
    {
        Each(o => o.OnIgnoreEvent(a.Id, a.StateName!, e));
        Add(TraceEventKind.Ignored, a, Actor.Describe(e), $"{a.Id}{a.InState} ignores {Actor.Describe(e)}", Consume(e, a));
    }

    internal void Received(Actor a, in Envelope env, bool wasBlocked)
    {
        Event e = env.Event;
        Each(o => o.OnReceiveEvent(a.Id, a.StateName!, e, wasBlocked));
        Add(TraceEventKind.Received, a, Actor.Describe(env.Event), $"{a.Id} receives {Actor.Describe(env.Event)}", Consume(env.Event, a), env.Sender);
    }

    internal void Waiting(Actor a, string types, Type[] eventTypes)
    {
        Each(o => o.OnWaitEvent(a.Id, a.StateName!, eventTypes));
        Add(TraceEventKind.Waiting, a, types, $"{a.Id} waits to receive {types}");
    }

    internal void Halted(Actor a)
    {
        Each(o => o.OnHalt(a.Id, a.Inbox.Count));
        Add(TraceEventKind.Halted, a, string.Empty, $"{a.Id} halts");
    }

    /// <summary>An action ran; only observers hear of it (the readable trace shows the event it handled).</summary>
    internal void Action(Actor a, string action)
    {
        // Checked here, not in Each: the lambda's closure would be allocated on every action of a logged run.
        if (observers is not null)
        {
            foreach (IActorRuntimeLog o in observers)
            {
                o.OnExecuteAction(a.Id, a.StateName!, a.StateName!, action);
            }
        }
    }

    internal void Note(Actor a, string text) => Add(TraceEventKind.Note, a, text, $"{a.Id} {text}");

    internal void Entered(Actor a, StateInfo s)
    {
        Each(o => o.OnStateTransition(a.Id, s.Name, true));
        Add(TraceEventKind.Entered, a, s.Name, $"{a.Id} enters {s.Name}");
    }

    internal void Goto(Actor a, StateInfo from, StateInfo to)
    {
        Each(o => o.OnStateTransition(a.Id, to.Name, true));
        Add(new TraceEvent(step(), TraceEventKind.Goto, Name(a), Number(a), to.Name, $"{a.Id} {from.Name} -> {to.Name}") { From = from.Name });
    }

    /// <summary>A goto (to != null) or pop (to == null) is about to run the exit action of <paramref name="from"/>; only observers hear of it.</summary>
    internal void Leaving(Actor a, StateInfo from, StateInfo? to) =>
        Each(o =>
        {
            if (to is not null)
            {
                o.OnGotoState(a.Id, from.Name, to.Name);
            }

            o.OnStateTransition(a.Id, from.Name, false);
        });

    internal void Pushed(Actor a, StateInfo from, StateInfo s)
    {
        Each(o =>
        {
            o.OnPushState(a.Id, from.Name, s.Name);
            o.OnStateTransition(a.Id, s.Name, true);
        });
        Add(TraceEventKind.Pushed, a, s.Name, $"{a.Id} pushes {s.Name}");
    }

    internal void Popped(Actor a, StateInfo from, StateInfo to)
    {
        Each(o => o.OnPopState(a.Id, from.Name, to.Name));
        Add(new TraceEvent(step(), TraceEventKind.Popped, Name(a), Number(a), to.Name, $"{a.Id} pops {from.Name}, back in {to.Name}") { From = from.Name });
    }

    internal void MonitorEvent(Monitor m, Monitor.Event e)
    {
        Actor? a = m.Runtime?.Running;
        Each(o => o.OnMonitorProcessEvent(m.GetType().FullName!, m.CurrentInfo.Name, a?.Id.Name!, a?.GetType().FullName!, a?.StateName!, e));
        Add(new TraceEvent(step(), TraceEventKind.MonitorObserved, Name(a), Number(a), e.GetType().Name,
            $"  monitor {m.Name} in {m.CurrentInfo.Name} observes {e.GetType().Name}") { Monitor = m.Name, Args = EventFields.Describe(e) });
    }

    /// <summary>A monitor opened or closed one of its windows (<see cref="Monitor.OpenWindow"/>); only the views use it.</summary>
    internal void MonitorWindow(Monitor m, string key, string what, bool opens)
    {
        Actor? a = m.Runtime?.Running;
        Add(new TraceEvent(step(), opens ? TraceEventKind.WindowOpened : TraceEventKind.WindowClosed, Name(a), Number(a), what,
            $"  monitor {m.Name}: window {key} {(opens ? "opens" : "closes")}: {what}") { Monitor = m.Name, Window = key });
    }

    internal void MonitorEntered(Monitor m, StateInfo? from, StateInfo to)
    {
        Actor? a = m.Runtime?.Running;
        Each(o =>
        {
            if (from is not null)
            {
                o.OnMonitorStateTransition(m.GetType().FullName!, from.Name, false, from.IsHot);
            }

            o.OnMonitorStateTransition(m.GetType().FullName!, to.Name, true, to.IsHot);
        });
        Add(new TraceEvent(step(), TraceEventKind.MonitorState, Name(a), Number(a), to.Name,
            $"  monitor {m.Name}: {(from is null ? "starts in " : from.Name + " -> ")}{to.Name}{Temperature(to)}")
        {
            Monitor = m.Name,
            From = from?.Name,
            Temperature = to.IsHot ? Verify.Temperature.Hot : to.IsCold ? Verify.Temperature.Cold : Verify.Temperature.Warm,
        });
    }

    internal void Random(Actor? a, bool value)
    {
        Each(o => o.OnRandom(value, a?.Id.Name!, a?.GetType().FullName!));
        Random(a, value ? "true" : "false");
    }

    internal void Random(Actor? a, int value, int bound)
    {
        Each(o => o.OnRandom(value, a?.Id.Name!, a?.GetType().FullName!));
        Random(a, $"{value} of [0, {bound})");
    }

    private void Random(Actor? a, string what) => Add(TraceEventKind.Random, a, what, $"{(a is null ? "test" : a.Id.ToString())} chooses {what}");

    internal void Bug(BugReport bug)
    {
        Each(o => o.OnAssertionFailure(bug.Message));
        BugLine(bug);
    }

    /// <summary>
    /// The bug line of a step the watchdog gave up on, at <paramref name="step"/>, run by
    /// <paramref name="a"/> (null: the test method). Observers are not told: the step's thread
    /// may still be running model code.
    /// </summary>
    internal void Abandoned(BugReport bug, int step, Actor? a) =>
        Add(new TraceEvent(step, TraceEventKind.Bug, Name(a), Number(a), bug.Summary, $"BUG {bug.Summary}"));

    private void BugLine(BugReport bug) => Add(TraceEventKind.Bug, running(), bug.Summary, $"BUG {bug.Summary}");

    internal void ModelLine(string text) => Add(TraceEventKind.ModelLog, running(), text, $"  log: {text}");

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (TraceEvent e in events)
        {
            sb.Append(Line(e)).Append('\n');
        }

        return sb.ToString();
    }

    private void Add(TraceEventKind kind, Actor? a, string detail, string text, int message = 0, ActorId? target = null) =>
        Add(new TraceEvent(step(), kind, Name(a), Number(a), detail, text)
        {
            Message = message,
            Target = target?.ToString(),
            TargetNumber = target?.Value ?? 0,
        });

    private void Add(TraceEvent e) => events.Add(e);

    private void Each(Action<IActorRuntimeLog> call)
    {
        if (observers is null)
        {
            return;
        }

        foreach (IActorRuntimeLog o in observers)
        {
            call(o);
        }
    }

    private static string Line(TraceEvent e) => $"[{e.Step,5}] {e.Text}";

    private int Consume(Event e, Actor receiver) =>
        inFlight.TryGetValue((e, receiver.Id.Value), out Queue<int>? q) && q.TryDequeue(out int m) ? m : 0;

    private static string? Name(Actor? a) => a?.Id.ToString();

    private static long Number(Actor? a) => a?.Id.Value ?? 0;

    private static string Temperature(StateInfo s) => s.IsHot ? " (hot)" : s.IsCold ? " (cold)" : string.Empty;

    /// <summary>Matches in-flight sends by event identity, not by the event's own Equals.</summary>
    private sealed class InFlightComparer : IEqualityComparer<(Event, long)>
    {
        public bool Equals((Event, long) x, (Event, long) y) => ReferenceEquals(x.Item1, y.Item1) && x.Item2 == y.Item2;

        public int GetHashCode((Event, long) obj) => HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Item1), obj.Item2);
    }
}
