using System.Runtime.InteropServices;

namespace Verify.StateSpace;

/// <summary>
/// Zeroed blocks outside the garbage-collected heap for the visited stores, as SPIN keeps its
/// tables. A large block asks Linux for transparent huge pages: probes land at random, and a miss
/// in the TLB on every probe (a nested page walk, in a virtual machine) costs more than the cache
/// miss itself.
/// </summary>
internal static unsafe class NativeTable
{
    private const nuint HugePage = 2 * 1024 * 1024;

    private const int MadvHugePage = 14;

    internal static void* Allocate(nuint bytes)
    {
        // Zeroed by the allocator: a large block is fresh mapped memory, zero without being written.
        void* p = NativeMemory.AllocZeroed(bytes);
        if (bytes >= 2 * HugePage && OperatingSystem.IsLinux())
        {
            // The whole huge pages inside the block, advised before anything touches them. Advice
            // only: where transparent huge pages are off or unsupported this fails, harmlessly.
            nuint start = ((nuint)p + HugePage - 1) & ~(HugePage - 1);
            nuint end = ((nuint)p + bytes) & ~(HugePage - 1);
            _ = Madvise((void*)start, end - start, MadvHugePage);
        }

        GC.AddMemoryPressure((long)bytes);
        return p;
    }

    internal static void Release(void* p, nuint bytes)
    {
        NativeMemory.Free(p);
        GC.RemoveMemoryPressure((long)bytes);
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(void* addr, nuint length, int advice);
}
