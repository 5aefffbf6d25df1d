namespace Verify.Kernel.Irq;

/// <summary>The interrupt vectors a modelled CPU takes; a raised one waits for an interrupts-enabled boundary.</summary>
public enum IrqVector
{
    /// <summary>LOCAL_TIMER_VECTOR: the scheduling-clock interrupt (<see cref="Tick"/>).</summary>
    LocalTimer,

    /// <summary>
    /// CALL_FUNCTION_SINGLE_VECTOR (and CALL_FUNCTION_VECTOR, the same handler here): run the
    /// calls queued on this CPU (<see cref="Smp"/>). Its vector is above the timer's, so with both
    /// raised the IPI is taken first.
    /// </summary>
    CallFunction,
}
