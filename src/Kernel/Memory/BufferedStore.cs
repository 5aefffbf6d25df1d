namespace Verify.Kernel.Memory;

/// <summary>A store waiting in a TSO store buffer.</summary>
internal readonly record struct BufferedStore(Location Location, int Value);
