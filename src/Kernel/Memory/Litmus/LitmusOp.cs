namespace Verify.Kernel.Memory.Litmus;

/// <summary>One statement of a litmus thread: an access to a location (a store of a value, or a load into a register), or a barrier.</summary>
internal sealed record LitmusOp(LitmusInstruction Instruction, int Location, string LocationName, int Value, int Register)
{
    internal bool IsLoad => Instruction is LitmusInstruction.Read or LitmusInstruction.ReadOnce or LitmusInstruction.LoadAcquire;

    internal bool IsStore => Instruction is LitmusInstruction.Write or LitmusInstruction.WriteOnce or LitmusInstruction.StoreRelease;

    internal static LitmusOp Fence(LitmusInstruction fence) => new(fence, -1, string.Empty, 0, -1);

    internal LitmusOp As(LitmusInstruction instruction) => this with { Instruction = instruction };

    /// <summary>As the kernel writes it.</summary>
    public override string ToString() => Instruction switch
    {
        LitmusInstruction.Read => $"r{Register} = {LocationName}",
        LitmusInstruction.ReadOnce => $"r{Register} = READ_ONCE({LocationName})",
        LitmusInstruction.LoadAcquire => $"r{Register} = smp_load_acquire(&{LocationName})",
        LitmusInstruction.Write => $"{LocationName} = {Value}",
        LitmusInstruction.WriteOnce => $"WRITE_ONCE({LocationName}, {Value})",
        LitmusInstruction.StoreRelease => $"smp_store_release(&{LocationName}, {Value})",
        LitmusInstruction.Mb => "smp_mb()",
        LitmusInstruction.Wmb => "smp_wmb()",
        _ => "smp_rmb()",
    };
}
