using System.Runtime.CompilerServices;
using Verify.Runtime;

namespace Verify.Actors;

/// <summary>
/// An event group with a result an actor sets, which an async test body may await (Coyote's way
/// for a test to wait for an actor's answer). Its continuation runs inline when an actor sets the
/// result, inside that actor's step, so the run stays on the engine's thread and deterministic.
/// </summary>
public class AwaitableEventGroup<T> : EventGroup
{
    private readonly TaskCompletionSource<T> source = new();

    public AwaitableEventGroup(Guid id = default, string? name = null)
        : base(id, name)
    {
    }

    /// <summary>Completes when an actor sets the result; reading it tells the engine the test body waits for the group.</summary>
    public Task<T> Task
    {
        get
        {
            ActorRuntime.NoteAwaitedGroup();
            return source.Task;
        }
    }

    public bool IsCompleted => source.Task.IsCompleted;

    public bool IsCanceled => source.Task.IsCanceled;

    public bool IsFaulted => source.Task.IsFaulted;

    public void SetResult(T result) => source.SetResult(result);

    public bool TrySetResult(T result) => source.TrySetResult(result);

    public void SetCanceled() => source.SetCanceled();

    public bool TrySetCanceled() => source.TrySetCanceled();

    public void SetException(Exception exception) => source.SetException(exception);

    public bool TrySetException(Exception exception) => source.TrySetException(exception);

    public TaskAwaiter<T> GetAwaiter() => Task.GetAwaiter();
}
