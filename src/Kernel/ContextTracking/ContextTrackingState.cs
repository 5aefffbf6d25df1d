using Verify.Kernel.Machine;
using Verify.Kernel.Memory;
using Verify.Kernel.Sync;
using Verify.Specifications;

namespace Verify.Kernel.ContextTracking;

/// <summary>
/// struct context_tracking of one CPU. Its state is one atomic word, laid out as the kernel's
/// <c>ct->state</c>: <c>MSB [RCU watching counter][work bits][CT state] LSB</c>. The low
/// <see cref="CT_STATE_WIDTH"/> bits hold CT_STATE_KERNEL/IDLE/USER/GUEST as an integer; the work
/// bits (CONFIG_CONTEXT_TRACKING_WORK, none by default) hold deferred work another CPU set; the
/// counter's low bit is <see cref="CT_RCU_WATCHING"/>, set exactly while RCU watches the CPU. Every
/// entry to or exit from an extended quiescent state (idle, user, guest) adds CT_RCU_WATCHING, which
/// is what the grace-period kthread's FQS scan samples, through <see cref="rcu_watching"/>: the
/// counter alone, so work bits never look like a transition. The counter wraps at its width (2 bits
/// under CONFIG_RCU_DYNTICKS_TORTURE).
/// </summary>
public sealed class ContextTrackingState
{
    /// <summary>CT_STATE_WIDTH: bits_per(CT_STATE_MAX - 1).</summary>
    public const int CT_STATE_WIDTH = 2;

    /// <summary>CT_STATE_MASK.</summary>
    public const int CT_STATE_MASK = (1 << CT_STATE_WIDTH) - 1;

    public const int CT_STATE_KERNEL = (int)CtState.Kernel;

    public const int CT_STATE_IDLE = (int)CtState.Idle;

    public const int CT_STATE_USER = (int)CtState.User;

    public const int CT_STATE_GUEST = (int)CtState.Guest;

    /// <summary>The counter width of CONFIG_RCU_DYNTICKS_TORTURE.</summary>
    public const int RcuWatchingTortureWidth = 2;

    /// <summary>CT_SIZE: the word is an atomic_t.</summary>
    private const int CtSize = 32;

    [Frozen]
    private readonly int cpu;

    /// <param name="cpu">The CPU.</param>
    /// <param name="workBits">CT_WORK_WIDTH: 0 without CONFIG_CONTEXT_TRACKING_WORK.</param>
    /// <param name="rcuWatchingWidth">CT_RCU_WATCHING_WIDTH; 0 for the widest that fits (CT_RCU_WATCHING_MAX_WIDTH).</param>
    public ContextTrackingState(int cpu, int workBits = 0, int rcuWatchingWidth = 0)
    {
        int maxWidth = CtSize - CT_STATE_WIDTH - workBits;
        if (workBits < 0 || maxWidth < 1 || rcuWatchingWidth < 0 || rcuWatchingWidth > maxWidth)
        {
            throw new ArgumentException($"A context-tracking word has {CtSize} bits: {CT_STATE_WIDTH} of state, {workBits} of work and a counter of {rcuWatchingWidth} do not fit.");
        }

        this.cpu = cpu;
        CT_WORK_WIDTH = workBits;
        CT_RCU_WATCHING_WIDTH = rcuWatchingWidth == 0 ? maxWidth : rcuWatchingWidth;
        int used = CT_RCU_WATCHING_START + CT_RCU_WATCHING_WIDTH;
        int mask = used == CtSize ? -1 : (1 << used) - 1;

        // Without work bits only this CPU writes the word; with them, a remote ct_set_cpu_work() may.
        word = new Atomic(CT_RCU_WATCHING, cpu, publishedByOwner: workBits == 0, mask);
    }

    /// <summary>CT_WORK_START.</summary>
    public int CT_WORK_START => CT_STATE_WIDTH;

    /// <summary>CT_WORK_WIDTH.</summary>
    [field: Frozen]
    public int CT_WORK_WIDTH { get; }

    /// <summary>CT_WORK_MASK.</summary>
    public int CT_WORK_MASK => ((1 << CT_WORK_WIDTH) - 1) << CT_WORK_START;

    /// <summary>CT_RCU_WATCHING_START.</summary>
    public int CT_RCU_WATCHING_START => CT_WORK_START + CT_WORK_WIDTH;

    /// <summary>CT_RCU_WATCHING_WIDTH.</summary>
    [field: Frozen]
    public int CT_RCU_WATCHING_WIDTH { get; }

    /// <summary>CT_RCU_WATCHING: the counter's low bit, set while RCU watches.</summary>
    public int CT_RCU_WATCHING => 1 << CT_RCU_WATCHING_START;

    /// <summary>CT_RCU_WATCHING_MASK.</summary>
    public int CT_RCU_WATCHING_MASK => (int)((uint)((1 << CT_RCU_WATCHING_WIDTH) - 1) << CT_RCU_WATCHING_START);

    /// <summary>ct->state, the atomic word, initially CT_RCU_WATCHING | CT_STATE_KERNEL.</summary>
    public Atomic word { get; }

    /// <summary>ct->active: user and guest context tracking runs on this CPU (nohz_full CPUs); idle is tracked on every CPU.</summary>
    public bool active { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    /// <summary>__ct_state(): the state bits of the word.</summary>
    public CtState state => (CtState)(word.Read() & CT_STATE_MASK);

    /// <summary>
    /// The RCU watching counter, read from the word: ct_rcu_watching() (the word masked with
    /// CT_RCU_WATCHING_MASK) shifted down to its own bits. Work and state bits are not in it.
    /// </summary>
    public int rcu_watching => (int)((uint)(word.Read() & CT_RCU_WATCHING_MASK) >> CT_RCU_WATCHING_START);

    /// <summary>The work bits of the word, shifted down (bit b is work BIT(b)).</summary>
    public int work => (word.Read() & CT_WORK_MASK) >> CT_WORK_START;

    /// <summary>ct_nesting(): process-level nesting, 0 inside an extended quiescent state.</summary>
    public int nesting { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); } = 1;

    /// <summary>ct_nmi_nesting(): interrupt nesting on top of it.</summary>
    public int nmi_nesting { get => Access.PerCpu(cpu, field); set => field = Access.PerCpu(cpu, value); }

    /// <summary>rcu_is_watching_curr_cpu(): the CT_RCU_WATCHING bit of the word.</summary>
    public bool Watching => (word.Read() & CT_RCU_WATCHING) != 0;

    /// <summary>
    /// ct_state_inc(incby): atomic_add_return(incby, &amp;ct->state), one step. Once the word is
    /// routed through a <see cref="SharedMemory"/> (<see cref="RouteThrough"/>), the same add is
    /// made there as well, fully ordered (or relaxed, for a mutant): <see cref="word"/> stays what
    /// this CPU sees of its own word (its own latest store, in every mode), and
    /// <see cref="MemoryWord"/> is what another CPU's load sees.
    /// </summary>
    public int ct_state_inc(int incby)
    {
        int seq = word.AddReturn(incby);
        if (memory is not null)
        {
            if (relaxedInc)
            {
                memory.AtomicAdd(cpu, MemoryWord!, incby);
            }
            else
            {
                memory.AtomicAddReturn(cpu, MemoryWord!, incby);
            }
        }

        return seq;
    }

    private SharedMemory? memory;

    private bool relaxedInc;

    /// <summary>ct->state in the machine's <see cref="SharedMemory"/>, once routed: what the FQS scan of another CPU reads.</summary>
    public Location? MemoryWord { get; private set; }

    /// <summary>
    /// Routes ct->state through <paramref name="mem"/> (memory CPU <c>cpu</c> is this CPU), as the
    /// location <c>ct->state[cpuN]</c> starting at the word's present value. Call it from the test
    /// body, before any step. <paramref name="relaxed"/> makes ct_state_inc() an atomic_add(): a
    /// broken kernel whose counter update orders nothing.
    /// </summary>
    public void RouteThrough(SharedMemory mem, bool relaxed = false)
    {
        memory = mem;
        relaxedInc = relaxed;
        MemoryWord = mem.Declare($"ct->state[cpu{cpu}]", word.Read());
    }

    /// <summary>The CT_RCU_WATCHING bit of a value of the word another CPU read.</summary>
    public bool WatchingIn(int value) => (value & CT_RCU_WATCHING) != 0;

    /// <summary>The RCU watching counter of a value of the word another CPU read (ct_rcu_watching_cpu_acquire() masked and shifted).</summary>
    public int RcuWatchingIn(int value) => (int)((uint)(value & CT_RCU_WATCHING_MASK) >> CT_RCU_WATCHING_START);

    /// <summary>ct_kernel_exit_state(): enter an EQS (one atomic RMW of ct->state: CT_RCU_WATCHING + the EQS state).</summary>
    public void KernelExit(CtState eqs)
    {
        ct_state_inc(CT_RCU_WATCHING + (int)eqs);
        nesting = 0;
    }

    /// <summary>ct_kernel_enter_state(): leave the EQS, back to CT_STATE_KERNEL; RCU watches again.</summary>
    public void KernelEnter()
    {
        ct_state_inc(CT_RCU_WATCHING - (word.Read() & CT_STATE_MASK));
        nesting = 1;
    }

    /// <summary>ct_irq_enter(): an interrupt makes RCU watch a CPU that was in an EQS (the state bits stay).</summary>
    public void IrqEnter()
    {
        if (!Watching)
        {
            ct_state_inc(CT_RCU_WATCHING);
        }

        nmi_nesting++;
    }

    /// <summary>ct_irq_exit(): back to the EQS the interrupt arrived in, if any.</summary>
    public void IrqExit()
    {
        nmi_nesting--;
        if (nmi_nesting == 0 && nesting == 0 && Watching)
        {
            ct_state_inc(CT_RCU_WATCHING);
        }
    }

    /// <summary>__ct_user_exit(): from user or guest mode into the kernel (enter_from_user_mode(), guest exit).</summary>
    public void UserExit() => KernelEnter();

    /// <summary>__ct_user_enter(): from the kernel into user or guest mode.</summary>
    public void UserEnter(CtState state) => KernelExit(state);

    /// <summary>rcu_is_cpu_rrupt_from_idle(): a first-level interrupt taken from an EQS.</summary>
    public bool RruptFromIdle => nmi_nesting <= 1 && nesting == 0;
}
