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
}
