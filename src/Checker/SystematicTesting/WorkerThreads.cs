namespace Verify.SystematicTesting;

/// <summary>Runs the workers of a campaign or a parallel search, one thread each, and waits for all of them.</summary>
internal static class WorkerThreads
{
    /// <summary>
    /// Starts <paramref name="count"/> threads with the stack every iteration gets (<see cref="Watchdog.StackSize"/>).
    /// They are background threads: one whose step never returns does not keep the process alive.
    /// </summary>
    internal static void Run(int count, string name, Action<int> work)
    {
        System.Threading.Thread[] threads = Enumerable.Range(0, count)
            .Select(w => new System.Threading.Thread(() => work(w), Watchdog.StackSize) { Name = $"{name}-{w}", IsBackground = true })
            .ToArray();
        foreach (System.Threading.Thread t in threads)
        {
            t.Start();
        }

        foreach (System.Threading.Thread t in threads)
        {
            t.Join();
        }
    }
}
