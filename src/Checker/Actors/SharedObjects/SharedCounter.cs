using Verify.Runtime;

namespace Verify.Actors.SharedObjects;

/// <summary>
/// A counter actors share (Coyote's <c>SharedCounter</c>). Each operation takes effect at once,
/// inside the step of the handler that calls it; unlike Coyote, an operation is not a scheduling
/// point of its own (handlers run atomically here), see docs/coyote-compat.md.
/// </summary>
public sealed class SharedCounter
{
    private int value;

    private SharedCounter(int value) => this.value = value;

    public static SharedCounter Create(IActorRuntime runtime, int value = 0)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return new SharedCounter(value);
    }

    public void Increment()
    {
        ActorRuntime.NoteSharedObjectAccess();
        value++;
    }

    public void Decrement()
    {
        ActorRuntime.NoteSharedObjectAccess();
        value--;
    }

    public int GetValue()
    {
        ActorRuntime.NoteSharedObjectAccess();
        return value;
    }

    /// <summary>Adds <paramref name="value"/> and returns the new value.</summary>
    public int Add(int value)
    {
        ActorRuntime.NoteSharedObjectAccess();
        this.value += value;
        return this.value;
    }

    /// <summary>Sets <paramref name="value"/> and returns the old value.</summary>
    public int Exchange(int value)
    {
        ActorRuntime.NoteSharedObjectAccess();
        int old = this.value;
        this.value = value;
        return old;
    }

    /// <summary>Sets <paramref name="value"/> if the counter holds <paramref name="comparand"/>; returns the old value.</summary>
    public int CompareExchange(int value, int comparand)
    {
        ActorRuntime.NoteSharedObjectAccess();
        int old = this.value;
        if (old == comparand)
        {
            this.value = value;
        }

        return old;
    }
}
