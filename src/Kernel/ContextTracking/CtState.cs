namespace Verify.Kernel.ContextTracking;

/// <summary>The context a CPU is in, as ct->state's low bits say (CT_STATE_KERNEL/IDLE/USER/GUEST).</summary>
public enum CtState
{
    Kernel = 0,
    Idle = 1,
    User = 2,
    Guest = 3,
}
