namespace Verify.Kernel.Sync;

/// <summary>One edge of lockdep's dependency graph: a lock of class <see cref="prev"/> was held when one of class <see cref="next"/> was taken.</summary>
public readonly record struct LockDependency(string prev, string next)
{
    public override string ToString() => $"{prev} -> {next}";
}
