namespace Verify.Kernel.Lifetime;

/// <summary>What an xa_* call that runs as steps returns: the old entry, or an errno (xa_err()).</summary>
public sealed class XaRet<T>
    where T : class
{
    public T? entry { get; set; }

    /// <summary>0, or -ENOMEM (<see cref="XArray{T}.ENOMEM"/>).</summary>
    public int err { get; set; }
}
