using System.Globalization;
using Verify.Actors;
using Verify.Kernel.Memory;
using Verify.Specifications;

namespace Kernel.Tests.Litmus;

/// <summary>
/// What the CPUs of a small hand-written model share: the memory with locations x, y, z, the
/// registers, and how many CPUs still run. The outcome (the registers) is recorded, and checked
/// against a forbidden one, in the step that ends the run, as the litmus harness does.
/// </summary>
internal sealed class Board
{
    [NotHashed]
    private readonly IActorRuntime runtime;

    [NotHashed]
    private readonly ISet<string> outcomes;

    [NotHashed]
    private readonly string? forbidden;

    // Whether the outcome ends with z's final value.
    [NotHashed]
    private readonly bool finalZ;

    internal Board(IActorRuntime runtime, MemoryMode mode, int cpus, int registers, int zInitial, ISet<string> outcomes, string? forbidden, bool finalZ, int staleStores = 3)
    {
        this.finalZ = finalZ;
        this.runtime = runtime;
        this.outcomes = outcomes;
        this.forbidden = forbidden;
        Mem = SharedMemory.Boot(runtime, mode, cpus, staleStores);
        X = Mem.Declare("x");
        Y = Mem.Declare("y");
        Z = Mem.Declare("z", zInitial);
        R = new int[registers];
        Running = cpus;
        Mem.Flushed = Check;
    }

    internal SharedMemory Mem { get; }

    internal Location X { get; }

    internal Location Y { get; }

    internal Location Z { get; }

    internal int[] R { get; }

    internal int Running { get; set; }

    internal void Check()
    {
        if (Running > 0 || !Mem.Quiescent)
        {
            return;
        }

        string outcome = string.Concat(R.Select(r => r.ToString(CultureInfo.InvariantCulture)))
            + (finalZ ? Mem.ValueOf(Z).ToString(CultureInfo.InvariantCulture) : string.Empty);
        outcomes.Add(outcome);
        runtime.Assert(outcome != forbidden, "Forbidden outcome {0} reached under {1}.", outcome, Mem.Mode);
    }
}
