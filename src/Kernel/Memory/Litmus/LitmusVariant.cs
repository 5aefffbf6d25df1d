namespace Verify.Kernel.Memory.Litmus;

/// <summary>
/// How a litmus shape's accesses are annotated: plain C accesses; READ_ONCE/WRITE_ONCE; those with
/// smp_mb() between a thread's two accesses; with smp_wmb() after a store and smp_rmb() after a
/// load; or every store a release and every load an acquire.
/// </summary>
public enum LitmusVariant
{
    Plain,
    Once,
    Mb,
    WmbRmb,
    ReleaseAcquire,
}
