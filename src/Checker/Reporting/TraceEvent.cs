namespace Verify;

/// <summary>What a readable-trace entry records; the timeline and HTML views are drawn from these, not from text.</summary>
internal enum TraceEventKind : byte
{
    Created,
    Started,
    Sent,
    Dequeued,
    Default,
    Ignored,
    Received,
    Waiting,
    Halted,
    Note,
    Entered,
    Goto,
    Pushed,
    Popped,
    MonitorObserved,
    MonitorState,
    Random,
    Bug,
    ModelLog,
    WindowOpened,
    WindowClosed,
}

/// <summary>Temperature of a monitor state entered in a <see cref="TraceEventKind.MonitorState"/> entry.</summary>
internal enum Temperature : byte
{
    Warm,
    Hot,
    Cold,
}

/// <summary>
/// One typed entry of the readable trace, recorded beside its text line.
/// <see cref="Actor"/> is the actor whose step it is (null: the test body; for monitor entries the
/// notifying actor), <see cref="Target"/> the other party (receiver, created actor, sender of a
/// dequeued event), and <see cref="Message"/> links a send or creation (1, 2, ...) to the dequeue,
/// receive, ignore or start that consumed it, so views can draw it as one arrow.
/// </summary>
internal sealed record TraceEvent(int Step, TraceEventKind Kind, string? Actor, long ActorNumber, string Detail, string Text)
{
    internal string? Target { get; init; }

    internal long TargetNumber { get; init; }

    /// <summary>For monitor entries: the monitor's name.</summary>
    internal string? Monitor { get; init; }

    internal int Message { get; init; }

    /// <summary>For <see cref="TraceEventKind.MonitorState"/>: the entered state's temperature.</summary>
    internal Temperature Temperature { get; init; }

    /// <summary>For <see cref="TraceEventKind.MonitorState"/> and state changes: the state left, if any.</summary>
    internal string? From { get; init; }

    /// <summary>For <see cref="TraceEventKind.MonitorObserved"/>: the observed event's public properties (<c>Cpu=0, Jiffies=104</c>), or null.</summary>
    internal string? Args { get; init; }

    /// <summary>For <see cref="TraceEventKind.WindowOpened"/> and <see cref="TraceEventKind.WindowClosed"/>: the window's key (<c>cpu0</c>).</summary>
    internal string? Window { get; init; }

    /// <summary>Entries drawn with the monitors rather than in an actor's lane.</summary>
    internal bool IsMonitorMark => Kind is TraceEventKind.MonitorState or TraceEventKind.WindowOpened or TraceEventKind.WindowClosed;
}
