using Verify.Actors;
using Verify.SystematicTesting;

namespace Verify.Harness.Reference;

/// <summary>
/// The filter lock (Peterson's algorithm generalised to N processes, Lynch §10.5.3), the classic
/// SPIN benchmark, as N actors sharing one <see cref="Memory"/>. Each actor step is one transition
/// of SPIN's automaton for the Promela model below (after SPIN's statement merging and dead-variable
/// resets, which is what `pan -d` prints), so the stateful search and SPIN count the same states:
/// a shared access (a read of <c>level</c>/<c>victim</c> in the await, a write, <c>ncrit</c>) or
/// a local step. An await whose condition is false is a step that changes nothing (busy waiting,
/// so a process stays enabled through its default-event handler); it adds transitions, not states.
/// The processes loop forever; the state space is finite because states repeat.
/// <code>
/// byte level[N], victim[N], ncrit;
/// active [N] proctype P() {
///   byte l, k;
///   l = 1; goto loop;            /* the actor's initialization step */
/// again: l = 1;
/// loop: do
///   :: l &lt; N -> level[_pid] = l; victim[l] = _pid; k = 0;
///        do :: k == _pid -> k++
///           :: k != _pid &amp;&amp; k &lt; N -> (level[k] &lt; l || victim[l] != _pid); k++
///           :: k >= N -> break
///        od; l++
///   :: else -> break
///   od;
///   ncrit++; assert(ncrit == 1); ncrit--; level[_pid] = 0; goto again
/// }
/// </code>
/// </summary>
public static class FilterLock
{
    /// <summary>Processes; the benchmark uses four (SPIN: 3,138,424 states without partial-order reduction).</summary>
    internal static int Processes { get; set; } = 4;

    [Test]
    public static void Execute(IActorRuntime runtime)
    {
        var memory = new Memory(Processes);
        for (int i = 0; i < Processes; i++)
        {
            runtime.CreateActor(typeof(Process), new Process.Setup(memory, i));
        }
    }

    /// <summary>The shared variables.</summary>
    internal sealed class Memory(int n)
    {
        public readonly int[] Level = new int[n];
        public readonly int[] Victim = new int[n];
        public int InCritical;
    }

    internal sealed class Process : StateMachine
    {
        // Control locations, named after the Promela statement each is about to run.
        private const int Again = 0;
        private const int Loop = 1;
        private const int WriteLevel = 2;
        private const int WriteVictim = 3;
        private const int ResetK = 4;
        private const int Scan = 5;
        private const int Await = 6;
        private const int NextK = 7;
        private const int Enter = 8;
        private const int Check = 9;
        private const int Leave = 10;
        private const int Release = 11;

        private Memory memory = null!;
        private int me;
        private int n;
        private int pc;
        private int l;
        private int k;

        internal sealed class Setup(Memory memory, int me) : Event
        {
            public Memory Memory { get; } = memory;

            public int Me { get; } = me;
        }

        [Start]
        [OnEntry(nameof(Start))]
        [OnEventDoAction(typeof(DefaultEvent), nameof(Advance))]
        private sealed class Running : State
        {
        }

        private void Start(Event e)
        {
            var setup = (Setup)e;
            memory = setup.Memory;
            me = setup.Me;
            n = memory.Level.Length;
            l = 1;
            pc = Loop;
        }

        private void Advance()
        {
            switch (pc)
            {
                case Again:
                    l = 1;
                    pc = Loop;
                    break;
                case Loop:
                    if (l < n)
                    {
                        pc = WriteLevel;
                    }
                    else
                    {
                        l = 0; // dead from here on: SPIN resets it
                        pc = Enter;
                    }

                    break;
                case WriteLevel:
                    memory.Level[me] = l;
                    pc = WriteVictim;
                    break;
                case WriteVictim:
                    memory.Victim[l] = me;
                    pc = ResetK;
                    break;
                case ResetK:
                    k = 0;
                    pc = Scan;
                    break;
                case Scan:
                    if (k == me)
                    {
                        k++;
                    }
                    else if (k < n)
                    {
                        pc = Await;
                    }
                    else
                    {
                        k = 0; // dead from here on
                        l++;
                        pc = Loop;
                    }

                    break;
                case Await:
                    if (memory.Level[k] < l || memory.Victim[l] != me)
                    {
                        pc = NextK;
                    }

                    break;
                case NextK:
                    k++;
                    pc = Scan;
                    break;
                case Enter:
                    memory.InCritical++;
                    pc = Check;
                    break;
                case Check:
                    Assert(memory.InCritical == 1, "Filter lock: {0} processes in the critical section.", memory.InCritical);
                    pc = Leave;
                    break;
                case Leave:
                    memory.InCritical--;
                    pc = Release;
                    break;
                default:
                    memory.Level[me] = 0;
                    pc = Again;
                    break;
            }
        }
    }
}
