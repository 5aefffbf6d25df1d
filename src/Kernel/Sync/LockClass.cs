namespace Verify.Kernel.Sync;

/// <summary>A lock class (lockdep's key): the locks initialized at one site, e.g. "&amp;rq->__lock", share one.</summary>
public sealed record LockClass(string Name, LockKind Kind);
