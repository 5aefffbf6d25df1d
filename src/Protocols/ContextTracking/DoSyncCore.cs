namespace Verify.Protocols.ContextTracking;

/// <summary>do_sync_core(): text patching's serializing instruction, so the CPU sees the text as it is now.</summary>
internal sealed class DoSyncCore() : CtCallFunc("do_sync_core")
{
    internal override void Run(CtKernel k, CtCpu c) => c.view.SyncCore(k.mem);
}
