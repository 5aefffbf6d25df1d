using Verify.Actors;

namespace Checker.Tests.Fixtures;

/// <summary>
/// Two threads as state machines over one shared object, the way the kernel models run: each does
/// some private work (a local count, one step per unit) and then increments the shared counter.
/// Split, the increment is a read and a later write, and an interleaving loses one; atomic, it is
/// one step. A <see cref="DeclaringThread"/> notes its shared accesses, so reduction may run its
/// private steps alone; a <see cref="PlainThread"/> does not, so none of its steps is local.
/// </summary>
internal static class SharedMemoryCounter
{
    internal const string Message = "Lost update: 2 increments left the shared counter at 1.";

    internal static Action<IActorRuntime> Test(bool declaring, bool split, int work) => r =>
    {
        var shared = new Counter();
        Type thread = declaring ? typeof(DeclaringThread) : typeof(PlainThread);
        r.CreateActor(thread, new Setup(shared, split, work));
        r.CreateActor(thread, new Setup(shared, split, work));
    };

    internal sealed class Counter
    {
        internal int Value;

        internal int Done;
    }

    internal sealed class Setup(Counter counter, bool split, int work) : Event
    {
        internal Counter Counter { get; } = counter;

        internal bool Split { get; } = split;

        internal int Work { get; } = work;
    }

    internal abstract class Thread : StateMachine
    {
        private Counter counter = null!;
        private bool split;
        private int work;
        private int done;
        private int read = -1;

        [Start]
        [OnEntry(nameof(OnSetup))]
        private sealed class Init : State
        {
        }

        [OnEventDoAction(typeof(DefaultEvent), nameof(OnStep))]
        private sealed class Working : State
        {
        }

        private sealed class Finished : State
        {
        }

        /// <summary>Says the step touched the shared counter (only a declaring thread tells the search).</summary>
        protected abstract void Shared();

        private void OnSetup(Event e)
        {
            var s = (Setup)e;
            (counter, split, work) = (s.Counter, s.Split, s.Work);
            RaiseGotoStateEvent<Working>();
        }

        private void OnStep()
        {
            if (done < work)
            {
                done++;
                return;
            }

            Shared();
            if (split && read < 0)
            {
                read = counter.Value;
                return;
            }

            counter.Value = (split ? read : counter.Value) + 1;
            counter.Done++;
            Assert(counter.Done < 2 || counter.Value == 2, Message);
            RaiseGotoStateEvent<Finished>();
        }
    }

    [DeclaresSharedAccess]
    internal sealed class DeclaringThread : Thread
    {
        protected override void Shared() => NoteSharedAccess();
    }

    internal sealed class PlainThread : Thread
    {
        protected override void Shared()
        {
        }
    }
}
