using Verify.Kernel.Memory;

namespace Verify.Kernel.Text;

/// <summary>
/// One CPU's view of kernel text: the version of each <see cref="TextSite"/> its instruction fetch
/// would execute. Only a serializing instruction refreshes it (<see cref="SyncCore"/>): sync_core()
/// itself, the IPI whose callback runs it, or another serializing instruction a model calls it for,
/// such as a CR3 write; a CPU that executes a site whose bytes changed since then runs stale text.
/// Only its CPU touches it.
/// </summary>
public sealed class TextView
{
    private readonly int[] seen;

    public TextView(int cpu, IReadOnlyList<TextSite> sites)
    {
        this.cpu = cpu;
        this.sites = sites;
        seen = new int[sites.Count];
    }

    public int cpu { get; }

    private IReadOnlyList<TextSite> sites { get; }

    /// <summary>The version of <paramref name="site"/> this CPU executes.</summary>
    public int Seen(TextSite site) => seen[Index(site)];

    /// <summary>
    /// sync_core(), or any serializing instruction (a CR3 write): afterwards the CPU fetches every site as memory
    /// holds it for this CPU (each a load through <paramref name="mem"/>, so a weak mode may still
    /// show an older store the CPU's view allows).
    /// </summary>
    public void SyncCore(SharedMemory mem)
    {
        mem.SyncCore(cpu);
        for (int i = 0; i < sites.Count; i++)
        {
            seen[i] = mem.ReadOnce(cpu, sites[i].bytes);
        }
    }

    private int Index(TextSite site)
    {
        for (int i = 0; i < sites.Count; i++)
        {
            if (ReferenceEquals(sites[i], site))
            {
                return i;
            }
        }

        throw new ArgumentException($"{site} is not a site of this machine's text.", nameof(site));
    }
}
