using Verify;
using Verify.Kernel.Memory;
using Verify.Kernel.Text;
using Verify.SystematicTesting;
using Xunit;

namespace Kernel.Tests.Text;

/// <summary>
/// Stale text and stale translations as modelled state: a CPU runs a site at the version its view
/// holds until sync_core(), keeps a kernel translation until a flush, and a freed frame is handed
/// out again.
/// </summary>
public sealed class TextAndTlbTests
{
    [Fact]
    public void TextView_SeesAPokeOnlyAfterSyncCore()
    {
        var seen = new List<int>();
        Run(r =>
        {
            SharedMemory mem = SharedMemory.Boot(r, MemoryMode.Sc, cpus: 2);
            var site = new TextSite(mem, "__tracepoint_sched_switch", noinstr: false);
            var view = new TextView(0, [site]);
            seen.Add(site.Poke(mem, cpu: 1));
            seen.Add(view.Seen(site));
            view.SyncCore(mem);
            seen.Add(view.Seen(site));
        });

        Assert.Equal([1, 0, 1], seen);
    }

    [Fact]
    public void KernelTlb_KeepsATranslationUntilAFlush()
    {
        var tlb = new KernelTlb(0);
        tlb.Fill(0x100, 7);
        tlb.Fill(0x200, 8);

        tlb.FlushRange(0x100, 0x101);
        Assert.Equal(0, tlb.Lookup(0x100));
        Assert.Equal(8, tlb.Lookup(0x200));

        tlb.FlushAll();
        Assert.Equal(0, tlb.Count);
    }

    [Fact]
    public void PageFrames_HandOutTheLastFreedFrameFirst_AndRefuseADoubleFree()
    {
        var frames = new PageFrames();
        int a = frames.AllocPage();
        int b = frames.AllocPage();

        frames.FreePage(a);
        Assert.True(frames.IsFree(a));
        Assert.Throws<InvalidOperationException>(() => frames.FreePage(a));
        Assert.Equal(a, frames.AllocPage());
        Assert.False(frames.IsFree(a));
        Assert.Equal(3, frames.AllocPage());
        Assert.NotEqual(a, b);
    }

    private static void Run(Action<Verify.Actors.IActorRuntime> body)
    {
        TestingEngine engine = TestingEngine.Create(Configuration.Create().WithTestingIterations(1), body);
        engine.Run();
        Assert.Null(engine.TestReport.Error);
        Assert.Null(engine.TestReport.Bug);
    }
}
