using System;
using System.Threading.Tasks;
using Verify.Actors;
using Verify.Actors.SharedObjects;
using Xunit;

namespace Compat.Tests;

public class SharedObjectTests : BaseActorTest
{
    private sealed class Shared : Event
    {
        public Shared(SharedCounter counter, SharedRegister<int> register, SharedDictionary<string, int> dictionary, ActorId auditor)
        {
            Counter = counter;
            Register = register;
            Dictionary = dictionary;
            Auditor = auditor;
        }

        public SharedCounter Counter { get; }

        public SharedRegister<int> Register { get; }

        public SharedDictionary<string, int> Dictionary { get; }

        public ActorId Auditor { get; }
    }

    private sealed class Finished : Event
    {
    }

    /// <summary>Adds one to the counter, doubles the register and claims a dictionary key, then tells the auditor.</summary>
    private sealed class Worker : Actor
    {
        protected override Task OnInitializeAsync(Event initialEvent)
        {
            var shared = (Shared)initialEvent;
            shared.Counter.Increment();
            shared.Register.Update(v => v * 2);
            shared.Dictionary.TryAdd("owner", (int)Id.Value);
            SendEvent(shared.Auditor, new Finished());
            return Task.CompletedTask;
        }
    }

    /// <summary>Once three workers finished, checks what they did to the shared objects.</summary>
    [OnEventDoAction(typeof(Shared), nameof(OnSetup))]
    [OnEventDoAction(typeof(Finished), nameof(OnFinished))]
    private sealed class Auditor : Actor
    {
        private Shared shared;
        private int finished;

        private void OnSetup(Event e) => shared = (Shared)e;

        private void OnFinished()
        {
            if (++finished < 3)
            {
                return;
            }

            Assert(shared.Counter.GetValue() == 3, "counter is {0}, not 3", shared.Counter.GetValue());
            Assert(shared.Register.GetValue() == 8, "register is {0}, not 8", shared.Register.GetValue());
            Assert(shared.Dictionary.Count == 1 && shared.Dictionary.TryGetValue("owner", out int owner) && owner >= 2 && owner <= 4,
                "the dictionary lost its owner");
            Assert(shared.Counter.CompareExchange(10, 3) == 3 && shared.Counter.Exchange(0) == 10, "compare-exchange did not swap");
        }
    }

    [Fact]
    public void SharedObjects_OperationsOfManyActors_AreAtomic_AndAllTakeEffect()
    {
        Test(
            r =>
            {
                ActorId auditor = r.CreateActor(typeof(Auditor));
                var shared = new Shared(SharedCounter.Create(r), SharedRegister<int>.Create(r, 1), SharedDictionary<string, int>.Create(r), auditor);
                r.SendEvent(auditor, shared);
                for (int i = 0; i < 3; i++)
                {
                    r.CreateActor(typeof(Worker), shared);
                }
            },
            GetConfiguration().WithTestingIterations(50));
    }

    private sealed class Read : Event
    {
        public Read(int value) => Value = value;

        public int Value { get; }
    }

    /// <summary>Reads the counter in one handler and writes value + 1 in the next: not atomic as a whole.</summary>
    [OnEventDoAction(typeof(Read), nameof(OnRead))]
    private sealed class SlowIncrementer : Actor
    {
        private Shared shared;

        protected override Task OnInitializeAsync(Event initialEvent)
        {
            shared = (Shared)initialEvent;
            SendEvent(Id, new Read(shared.Counter.GetValue()));
            return Task.CompletedTask;
        }

        private void OnRead(Event e)
        {
            shared.Counter.Exchange(((Read)e).Value + 1);
            SendEvent(shared.Auditor, new Finished());
        }
    }

    [OnEventDoAction(typeof(Shared), nameof(OnSetup))]
    [OnEventDoAction(typeof(Finished), nameof(OnFinished))]
    private sealed class IncrementAuditor : Actor
    {
        private Shared shared;
        private int finished;

        private void OnSetup(Event e) => shared = (Shared)e;

        private void OnFinished()
        {
            if (++finished == 2)
            {
                Assert(shared.Counter.GetValue() == 2, "the counter is {0} after two increments", shared.Counter.GetValue());
            }
        }
    }

    [Fact]
    public void SharedCounter_ReadAndWriteInTwoHandlers_CanLoseAnUpdate()
    {
        // Each operation is atomic, but another actor may run between two handlers of one actor.
        TestWithError(
            r =>
            {
                ActorId auditor = r.CreateActor(typeof(IncrementAuditor));
                var shared = new Shared(SharedCounter.Create(r), null, null, auditor);
                r.SendEvent(auditor, shared);
                r.CreateActor(typeof(SlowIncrementer), shared);
                r.CreateActor(typeof(SlowIncrementer), shared);
            },
            "the counter is 1 after two increments",
            GetConfiguration().WithTestingIterations(200));
    }

    private sealed class Handles : Event
    {
        public Handles(SharedCounter counter, SharedRegister<int> register, ActorId other)
        {
            Counter = counter;
            Register = register;
            Other = other;
        }

        public SharedCounter Counter { get; }

        public SharedRegister<int> Register { get; }

        public ActorId Other { get; }
    }

    /// <summary>Adds two to the counter in one handler, one increment at a time.</summary>
    private sealed class TwoStepAdder : Actor
    {
        protected override Task OnInitializeAsync(Event initialEvent)
        {
            var handles = (Handles)initialEvent;
            handles.Counter.Increment();
            handles.Counter.Increment();
            return Task.CompletedTask;
        }
    }

    /// <summary>Reads the counter once and expects to see it between two adders' handlers.</summary>
    private sealed class EvenReader : Actor
    {
        protected override Task OnInitializeAsync(Event initialEvent)
        {
            int value = ((Handles)initialEvent).Counter.GetValue();
            Assert(value % 2 == 0, "the reader saw {0}, halfway through a handler", value);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void SharedCounter_AnotherActorMayRunBetweenTwoOperationsOfOneHandler()
    {
        // Each operation is a scheduling point: the reader can run after the first increment and before the second.
        TestWithError(
            r =>
            {
                var handles = new Handles(SharedCounter.Create(r), null, null);
                r.CreateActor(typeof(TwoStepAdder), handles);
                r.CreateActor(typeof(EvenReader), handles);
            },
            "the reader saw 1, halfway through a handler",
            GetConfiguration().WithTestingIterations(200));
    }

    /// <summary>Reads the register and writes value + 1 back in one handler, then tells the auditor.</summary>
    private sealed class ReadThenWrite : Actor
    {
        protected override Task OnInitializeAsync(Event initialEvent)
        {
            var handles = (Handles)initialEvent;
            int value = handles.Register.GetValue();
            handles.Register.SetValue(value + 1);
            SendEvent(handles.Other, new Finished());
            return Task.CompletedTask;
        }
    }

    /// <summary>Adds one to the register with Update, a single atomic operation, then tells the auditor.</summary>
    private sealed class AtomicAdd : Actor
    {
        protected override Task OnInitializeAsync(Event initialEvent)
        {
            var handles = (Handles)initialEvent;
            handles.Register.Update(v => v + 1);
            SendEvent(handles.Other, new Finished());
            return Task.CompletedTask;
        }
    }

    [OnEventDoAction(typeof(Handles), nameof(OnSetup))]
    [OnEventDoAction(typeof(Finished), nameof(OnFinished))]
    private sealed class RegisterAuditor : Actor
    {
        private Handles handles;
        private int finished;

        private void OnSetup(Event e) => handles = (Handles)e;

        private void OnFinished()
        {
            if (++finished == 2)
            {
                Assert(handles.Register.GetValue() == 2, "the register is {0} after two increments", handles.Register.GetValue());
            }
        }
    }

    private static void TwoIncrementers(IActorRuntime r, Type incrementer)
    {
        ActorId auditor = r.CreateActor(typeof(RegisterAuditor));
        var handles = new Handles(null, SharedRegister<int>.Create(r), auditor);
        r.SendEvent(auditor, handles);
        r.CreateActor(incrementer, handles);
        r.CreateActor(incrementer, handles);
    }

    [Fact]
    public void SharedRegister_ReadThenWriteInOneHandler_CanLoseAnUpdate()
    {
        TestWithError(
            r => TwoIncrementers(r, typeof(ReadThenWrite)),
            "the register is 1 after two increments",
            GetConfiguration().WithTestingIterations(200));
    }

    [Fact]
    public void SharedRegister_Update_IsOneOperation_AndLosesNoUpdate()
    {
        Test(r => TwoIncrementers(r, typeof(AtomicAdd)), GetConfiguration().WithTestingIterations(200));
    }

    [Fact]
    public void SharedRegister_StatefulSearch_RunsEachOperationWithinItsHandlersStep()
    {
        // A snapshot cannot hold a handler stopped halfway, so the stateful search does not interleave
        // two operations of one handler (docs/coyote-compat.md); it does interleave handlers.
        Test(r => TwoIncrementers(r, typeof(ReadThenWrite)), GetConfiguration().WithStrategy("stateful-dfs", 0));
        TestWithError(
            r =>
            {
                ActorId auditor = r.CreateActor(typeof(IncrementAuditor));
                var shared = new Shared(SharedCounter.Create(r), null, null, auditor);
                r.SendEvent(auditor, shared);
                r.CreateActor(typeof(SlowIncrementer), shared);
                r.CreateActor(typeof(SlowIncrementer), shared);
            },
            "the counter is 1 after two increments",
            GetConfiguration().WithStrategy("stateful-dfs", 0));
    }

    /// <summary>Sends to the other actor, then increments: the send happens first.</summary>
    private sealed class SendThenIncrement : Actor
    {
        protected override Task OnInitializeAsync(Event initialEvent)
        {
            var handles = (Handles)initialEvent;
            SendEvent(handles.Other, new Ping());
            handles.Counter.Increment();
            return Task.CompletedTask;
        }
    }

    [OnEventDoAction(typeof(Handles), nameof(OnSetup))]
    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class ExpectsIncrement : Actor
    {
        private Handles handles;

        private void OnSetup(Event e) => handles = (Handles)e;

        private void OnPing()
        {
            int value = handles.Counter.GetValue();
            Assert(value == 1, "the ping was handled with the counter at {0}", value);
        }
    }

    [Fact]
    public void SharedCounter_EventSentBeforeAnOperation_MayBeHandledBeforeTheOperationTakesEffect()
    {
        TestWithError(
            r =>
            {
                ActorId receiver = r.CreateActor(typeof(ExpectsIncrement));
                var handles = new Handles(SharedCounter.Create(r), null, receiver);
                r.SendEvent(receiver, handles);
                r.CreateActor(typeof(SendThenIncrement), handles);
            },
            "the ping was handled with the counter at 0",
            GetConfiguration().WithTestingIterations(200));
    }

    private static int spinsFinished;

    /// <summary>Waits in its handler until another actor has incremented the counter.</summary>
    private sealed class Spinner : Actor
    {
        protected override Task OnInitializeAsync(Event initialEvent)
        {
            var handles = (Handles)initialEvent;
            while (handles.Counter.GetValue() == 0)
            {
            }

            spinsFinished++;
            return Task.CompletedTask;
        }
    }

    private sealed class Incrementer : Actor
    {
        protected override Task OnInitializeAsync(Event initialEvent)
        {
            ((Handles)initialEvent).Counter.Increment();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void SharedCounter_HandlerWaitingOnTheCounter_SeesAnotherActorsIncrement()
    {
        spinsFinished = 0;
        Test(
            r =>
            {
                var handles = new Handles(SharedCounter.Create(r), null, null);
                r.CreateActor(typeof(Spinner), handles);
                r.CreateActor(typeof(Incrementer), handles);
            },
            GetConfiguration().WithRandomStrategy().WithTestingIterations(50).WithMaxSchedulingSteps(500).WithFailureOnMaxStepsBoundEnabled());

        // When the incrementer waits at its operation and the spinner starts above it, the spinner
        // cannot let it go on (waits resume last-in first-out, docs/coyote-compat.md): that run stops
        // at the step bound, which is not reported as a bug. Every other run sees the increment.
        Assert.InRange(spinsFinished, 25, 50);
    }
}
