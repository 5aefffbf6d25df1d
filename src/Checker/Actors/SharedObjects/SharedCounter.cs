using Verify.Runtime;

namespace Verify.Actors.SharedObjects;

/// <summary>
/// A counter actors share (Coyote's <c>SharedCounter</c>). Each operation is atomic and, called
/// from a handler in a sampling run, a scheduling point before it takes effect, as in Coyote's
/// testing runtime (see docs/coyote-compat.md for how the interleavings differ).
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
        ActorRuntime.SharedObjectOperation();
        value++;
    }

    public void Decrement()
    {
        ActorRuntime.SharedObjectOperation();
        value--;
    }

    public int GetValue()
    {
        ActorRuntime.SharedObjectOperation();
        return value;
    }

    /// <summary>Adds <paramref name="value"/> and returns the new value.</summary>
    public int Add(int value)
    {
        ActorRuntime.SharedObjectOperation();
        this.value += value;
        return this.value;
    }

    /// <summary>Sets <paramref name="value"/> and returns the old value.</summary>
    public int Exchange(int value)
    {
        ActorRuntime.SharedObjectOperation();
        int old = this.value;
        this.value = value;
        return old;
    }

    /// <summary>Sets <paramref name="value"/> if the counter holds <paramref name="comparand"/>; returns the old value.</summary>
    public int CompareExchange(int value, int comparand)
    {
        ActorRuntime.SharedObjectOperation();
        int old = this.value;
        if (old == comparand)
        {
            this.value = value;
        }

        return old;
    }
}
