namespace Verify.Kernel.Memory.Litmus;

/// <summary>What one statement of a litmus thread does.</summary>
internal enum LitmusInstruction
{
    Read,
    ReadOnce,
    LoadAcquire,
    Write,
    WriteOnce,
    StoreRelease,
    Mb,
    Wmb,
    Rmb,
}
