namespace Verify.Actors;

/// <summary>Options of a send: <see cref="MustHandle"/> makes dropping the event a bug; <see cref="Assert"/> bounds its copies in the inbox.</summary>
public sealed class SendOptions
{
    public static SendOptions Default { get; } = new();

    public SendOptions(bool mustHandle = false, int assert = -1, int hashedState = 0)
    {
        MustHandle = mustHandle;
        Assert = assert;
        HashedState = hashedState;
    }

    /// <summary>At most this many events of the sent type may be in the receiver's inbox once it is queued; -1 means no bound.</summary>
    public int Assert { get; }

    /// <summary>The receiver must handle the event: ignoring it, halting with it queued, or being halted is a bug.</summary>
    public bool MustHandle { get; }

    /// <summary>Extra hash of the send, kept for Coyote compatibility.</summary>
    public int HashedState { get; }

    public override string ToString() =>
        (MustHandle, Assert >= 0) switch
        {
            (true, true) => $"MustHandle, Assert={Assert}",
            (true, false) => "MustHandle",
            (false, true) => $"Assert={Assert}",
            _ => "Default",
        };
}

/// <summary>What the runtime does with an exception escaping a handler.</summary>
public enum OnExceptionOutcome
{
    /// <summary>Report the exception as a bug (the default).</summary>
    ThrowException = 0,

    /// <summary>The actor handled it; go on.</summary>
    HandledException = 1,

    /// <summary>Halt the actor.</summary>
    Halt = 2,
}
