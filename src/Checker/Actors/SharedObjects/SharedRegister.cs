using Verify.Runtime;

namespace Verify.Actors.SharedObjects;

/// <summary>A value actors share (Coyote's <c>SharedRegister</c>); each operation is atomic and a scheduling point, as <see cref="SharedCounter"/>'s.</summary>
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

    /// <summary>Replaces the value by <paramref name="func"/> of it, atomically (one operation); returns the new value.</summary>
    public T Update(Func<T, T> func)
    {
        ActorRuntime.SharedObjectOperation();
        value = func(value);
        return value;
    }

    public T GetValue()
    {
        ActorRuntime.SharedObjectOperation();
        return value;
    }

    public void SetValue(T value)
    {
        ActorRuntime.SharedObjectOperation();
        this.value = value;
    }
}
