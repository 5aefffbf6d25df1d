using Verify.Kernel.Machine;
using Verify.Kernel.Sched;

namespace Verify.Kernel.Sync;

/// <summary>struct completion: complete() lets one wait_for_completion() return; complete_all() lets all.</summary>
public sealed class Completion(string name)
{
    private readonly WaitQueue wait = new(name);

    public string name { get; } = name;

    /// <summary>x->done; int.MaxValue after complete_all().</summary>
    public int done { get => Access.Shared(field); set => field = Access.Shared(value); }

    /// <summary>complete(): one more waiter may return; the first queued is woken.</summary>
    public void Complete(KernelState k)
    {
        if (done != int.MaxValue)
        {
            done++;
        }

        if (wait.waiters.Count > 0)
        {
            TaskStruct first = wait.waiters[0];
            wait.waiters.RemoveAt(0);
            Scheduler.WakeUpProcess(k, first);
        }
    }

    /// <summary>complete_all(): every waiter, present and future, returns.</summary>
    public void CompleteAll(KernelState k)
    {
        done = int.MaxValue;
        wait.WakeUpAll(k);
    }

    /// <summary>wait_for_completion(): sleeps until done, then consumes one completion.</summary>
    public IEnumerable<Stmt> WaitForCompletion(KernelState k, TaskStruct t)
    {
        string where = $"wait_for_completion({name})";
        Lockdep.MightSleep(k, t, where);
        while (done == 0)
        {
            wait.PrepareToWait(t);
            yield return Scheduler.Sleep(k, t, where);
        }

        // The check that it is done and the consumption are one step under x->wait.lock.
        wait.FinishWait(t);
        if (done != int.MaxValue)
        {
            done--;
        }

        yield return $"{where} returns";
    }
}
