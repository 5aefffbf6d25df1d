namespace Verify.Protocols.ContextTracking;

/// <summary>do_kernel_range_flush(): the kernel-range TLB flush, which also drops the paging-structure cache.</summary>
internal sealed class DoKernelRangeFlush() : CtCallFunc("do_kernel_range_flush")
{
    internal override void Run(CtKernel k, CtCpu c)
    {
        c.tlb.FlushAll();
        Array.Clear(c.pwc);
    }
}
