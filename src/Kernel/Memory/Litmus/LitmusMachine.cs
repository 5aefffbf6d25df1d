using System.Globalization;
using Verify.Actors;
using Verify.Specifications;

namespace Verify.Kernel.Memory.Litmus;

/// <summary>
/// One run of a litmus test: the memory, the registers, and how many threads have finished. The
/// outcome is recorded in the step that ends the run (the last statement, or under TSO the last
/// store-buffer flush), into a set that is not model state, so every path a stateful search takes
/// into a terminal state adds to it and nothing rolls it back.
/// </summary>
internal sealed class LitmusMachine
{
    [NotHashed]
    private readonly ISet<string> outcomes;

    private LitmusMachine(IActorRuntime runtime, LitmusTest test, MemoryMode mode, ISet<string> outcomes)
    {
        this.outcomes = outcomes;
        Test = test;
        Memory = SharedMemory.Boot(runtime, mode, test.Threads.Length);
        Locations = test.Shape.Locations.Select(n => Memory.Declare(n)).ToArray();
        Registers = new int[test.Threads.Sum(t => t.Count(o => o.IsLoad))];
        Memory.Flushed = Check;
    }

    // Constant for the run, and large (the reasons' text): not hashed into every state.
    [field: NotHashed]
    internal LitmusTest Test { get; }

    internal SharedMemory Memory { get; }

    internal Location[] Locations { get; }

    internal int[] Registers { get; }

    internal int Finished { get; set; }

    /// <summary>The test body: boots the memory and starts one CPU per thread.</summary>
    internal static void Boot(IActorRuntime runtime, LitmusTest test, MemoryMode mode, ISet<string> outcomes)
    {
        var machine = new LitmusMachine(runtime, test, mode, outcomes);
        for (int cpu = 0; cpu < test.Threads.Length; cpu++)
        {
            runtime.CreateActor(typeof(LitmusCpu), $"cpu{cpu}", new LitmusCpu.Setup(machine, cpu));
        }
    }

    internal void Execute(int cpu, LitmusOp op)
    {
        Location x = op.Location >= 0 ? Locations[op.Location] : null!;
        switch (op.Instruction)
        {
            case LitmusInstruction.Read:
                Registers[op.Register] = Memory.Read(cpu, x);
                break;
            case LitmusInstruction.ReadOnce:
                Registers[op.Register] = Memory.ReadOnce(cpu, x);
                break;
            case LitmusInstruction.LoadAcquire:
                Registers[op.Register] = Memory.SmpLoadAcquire(cpu, x);
                break;
            case LitmusInstruction.Write:
                Memory.Write(cpu, x, op.Value);
                break;
            case LitmusInstruction.WriteOnce:
                Memory.WriteOnce(cpu, x, op.Value);
                break;
            case LitmusInstruction.StoreRelease:
                Memory.SmpStoreRelease(cpu, x, op.Value);
                break;
            case LitmusInstruction.Mb:
                Memory.SmpMb(cpu);
                break;
            case LitmusInstruction.Wmb:
                Memory.SmpWmb(cpu);
                break;
            case LitmusInstruction.Rmb:
                Memory.SmpRmb(cpu);
                break;
        }
    }

    /// <summary>Records the outcome once every thread has finished and no store waits in a buffer.</summary>
    internal void Check()
    {
        if (Finished == Test.Threads.Length && Memory.Quiescent)
        {
            outcomes.Add(string.Concat(Test.Observed.Select(Observe)));
        }
    }

    private string Observe(string key)
    {
        int i = Array.FindIndex(Test.Shape.Locations, n => n == key);
        int v = i >= 0 ? Memory.ValueOf(Locations[i]) : Registers[int.Parse(key.AsSpan(1), CultureInfo.InvariantCulture)];
        return v.ToString(CultureInfo.InvariantCulture);
    }
}
