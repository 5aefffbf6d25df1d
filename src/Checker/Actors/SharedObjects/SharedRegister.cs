using Verify.Runtime;

namespace Verify.Actors.SharedObjects;

/// <summary>A value actors share (Coyote's <c>SharedRegister</c>); operations are atomic, as <see cref="SharedCounter"/>'s.</summary>
public sealed class SharedRegister<T>
    where T : struct
{
    private T value;

    private SharedRegister(T value) => this.value = value;

    public static SharedRegister<T> Create(IActorRuntime runtime, T value = default)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return new SharedRegister<T>(value);
    }

    /// <summary>Replaces the value by <paramref name="func"/> of it, atomically; returns the new value.</summary>
    public T Update(Func<T, T> func)
    {
        ActorRuntime.NoteSharedObjectAccess();
        value = func(value);
        return value;
    }

    public T GetValue()
    {
        ActorRuntime.NoteSharedObjectAccess();
        return value;
    }

    public void SetValue(T value)
    {
        ActorRuntime.NoteSharedObjectAccess();
        this.value = value;
    }
}
