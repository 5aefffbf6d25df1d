using Verify.Kernel.Memory;

namespace Verify.Kernel.Text;

/// <summary>
/// A patchable site of kernel text (a static key's jump, a static call, an alternative): its bytes
/// as one word of shared memory holding a version, bumped by each text_poke() of the site (the
/// INT3, the tail bytes, the first byte of an x86 patch are three versions). What a CPU executes is
/// what its <see cref="TextView"/> holds, not this word: instruction fetch is not coherent with a
/// remote store until the CPU serializes.
/// </summary>
public sealed class TextSite
{
    public TextSite(SharedMemory mem, string name, bool noinstr)
    {
        this.name = name;
        this.noinstr = noinstr;
        bytes = mem.Declare($"text[{name}]");
    }

    public string name { get; }

    /// <summary>The site is in .noinstr/.entry text: entry code runs it before ct_work_flush() (the danger zone).</summary>
    public bool noinstr { get; }

    /// <summary>The site's bytes (a version) in memory.</summary>
    public Location bytes { get; }

    /// <summary>text_poke() of the next version, by <paramref name="cpu"/> (plain stores through the poking mm); returns it.</summary>
    public int Poke(SharedMemory mem, int cpu)
    {
        int v = mem.Read(cpu, bytes) + 1;
        mem.Write(cpu, bytes, v);
        return v;
    }

    public override string ToString() => name;
}
