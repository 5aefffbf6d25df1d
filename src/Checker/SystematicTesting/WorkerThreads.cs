namespace Verify.SystematicTesting;

/// <summary>Runs the workers of a campaign or a parallel search, one thread each, and waits for all of them.</summary>
internal static class WorkerThreads
{
    // Models recurse through handlers and iterators; the default 1.5 MB stack is too small for deep ones.
    private const int StackSize = 16 * 1024 * 1024;

    internal static void Run(int count, string name, Action<int> work)
    {
        System.Threading.Thread[] threads = Enumerable.Range(0, count)
            .Select(w => new System.Threading.Thread(() => work(w), StackSize) { Name = $"{name}-{w}" })
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
