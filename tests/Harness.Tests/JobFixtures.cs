using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;

namespace Verify.Harness.Tests;

/// <summary>
/// Models for minimize, timeline/HTML, coverage and shard tests: a job server watched by a liveness
/// monitor (hot while a job is pending), and a racy register buried in unrelated chatter.
/// </summary>
public static class JobFixtures
{
    /// <summary>Buggy: the server ignores a job that arrives while it works, so the monitor stays hot.</summary>
    [Test]
    public static void LostJob(IActorRuntime runtime) => Start(runtime, typeof(LossyServer));

    /// <summary>
    /// Buggy, and never ending: as <see cref="LostJob"/>, beside a heartbeat that ticks forever. The
    /// run never terminates, so the lost job shows as a fair cycle on which the monitor stays hot.
    /// </summary>
    [Test]
    public static void LostJobWithHeartbeat(IActorRuntime runtime)
    {
        Start(runtime, typeof(LossyServer));
        runtime.CreateActor(typeof(Heartbeat));
    }

    /// <summary>Fixed: the server defers jobs while it works.</summary>
    [Test]
    public static void QueuedJob(IActorRuntime runtime) => Start(runtime, typeof(QueueingServer));

    /// <summary>The register race of <see cref="Fixtures.RacyRegister"/>, with five actors chattering beside it.</summary>
    [Test]
    public static void NoisyRegister(IActorRuntime runtime)
    {
        for (int i = 0; i < 5; i++)
        {
            runtime.CreateActor(typeof(Chatter), new Chatter.Rounds(6));
        }

        ActorId register = runtime.CreateActor(typeof(Fixtures.Register));
        runtime.CreateActor(typeof(Fixtures.Writer), new Fixtures.Writer.Setup(register, 1));
        runtime.CreateActor(typeof(Fixtures.Writer), new Fixtures.Writer.Setup(register, 2));
    }

    private static void Start(IActorRuntime runtime, Type server)
    {
        runtime.RegisterMonitor<JobMonitor>();
        ActorId s = runtime.CreateActor(server);
        runtime.CreateActor(typeof(Client), new Client.Setup(s));
    }

    internal sealed class Job(int number) : Event
    {
        public int Number { get; } = number;
    }

    internal sealed class Ping : Event
    {
    }

    internal sealed class Finished : Event
    {
    }

    internal sealed class JobQueued : Event
    {
    }

    internal sealed class JobDone : Event
    {
    }

    /// <summary>Sends two jobs with a ping between them; the monitor learns of each job before it is sent.</summary>
    internal sealed class Client : StateMachine
    {
        internal sealed class Setup(ActorId server) : Event
        {
            public ActorId Server { get; } = server;
        }

        [Start]
        [OnEntry(nameof(Send))]
        private sealed class Sending : State
        {
        }

        private void Send(Event e)
        {
            ActorId server = ((Setup)e).Server;
            Monitor<JobMonitor>(new JobQueued());
            SendEvent(server, new Job(1));
            SendEvent(server, new Ping());
            Monitor<JobMonitor>(new JobQueued());
            SendEvent(server, new Job(2));
        }
    }

    /// <summary>Works on one job at a time; finishing is a message to itself, so jobs and pings can overtake it.</summary>
    internal abstract class Server : StateMachine
    {
        protected void Work() => SendEvent(Id, new Finished());

        protected void Done() => Monitor<JobMonitor>(new JobDone());

        protected void Pause() => RaisePopStateEvent();
    }

    internal sealed class LossyServer : Server
    {
        [Start]
        [OnEventGotoState(typeof(Job), typeof(Working))]
        [IgnoreEvents(typeof(Ping))]
        private sealed class Idle : State
        {
        }

        [OnEntry(nameof(Work))]
        [OnExit(nameof(Done))]
        [IgnoreEvents(typeof(Job))]
        [OnEventGotoState(typeof(Finished), typeof(Idle))]
        [OnEventPushState(typeof(Ping), typeof(Pausing))]
        private sealed class Working : State
        {
        }

        [OnEntry(nameof(Pause))]
        private sealed class Pausing : State
        {
        }

        [OnEventGotoState(typeof(Job), typeof(Idle))]
        private sealed class Retired : State
        {
        }
    }

    internal sealed class QueueingServer : Server
    {
        [Start]
        [OnEventGotoState(typeof(Job), typeof(Working))]
        [IgnoreEvents(typeof(Ping))]
        private sealed class Idle : State
        {
        }

        [OnEntry(nameof(Work))]
        [OnExit(nameof(Done))]
        [DeferEvents(typeof(Job))]
        [OnEventGotoState(typeof(Finished), typeof(Idle))]
        [OnEventPushState(typeof(Ping), typeof(Pausing))]
        private sealed class Working : State
        {
        }

        [OnEntry(nameof(Pause))]
        private sealed class Pausing : State
        {
        }

        [OnEventGotoState(typeof(Job), typeof(Idle))]
        private sealed class Retired : State
        {
        }
    }

    /// <summary>Hot while a queued job is not done: a lost job leaves it hot when the run ends.</summary>
    internal sealed class JobMonitor : Monitor
    {
        private int pending;

        [Start]
        [Cold]
        [OnEventGotoState(typeof(JobQueued), typeof(Pending), nameof(Count))]
        private sealed class Quiet : State
        {
        }

        [Hot]
        [OnEventDoAction(typeof(JobQueued), nameof(Count))]
        [OnEventDoAction(typeof(JobDone), nameof(Finish))]
        private sealed class Pending : State
        {
        }

        private void Count() => pending++;

        private void Finish()
        {
            if (--pending == 0)
            {
                RaiseGotoStateEvent<Quiet>();
            }
        }
    }

    /// <summary>Sends itself a tick forever; its state repeats after every tick.</summary>
    internal sealed class Heartbeat : StateMachine
    {
        internal sealed class Beat : Event
        {
        }

        [Start]
        [OnEntry(nameof(Next))]
        [OnEventDoAction(typeof(Beat), nameof(Next))]
        private sealed class Beating : State
        {
        }

        private void Next() => SendEvent(Id, new Beat());
    }

    /// <summary>Sends itself a few ticks: steps that have nothing to do with any bug.</summary>
    internal sealed class Chatter : StateMachine
    {
        private int left;

        internal sealed class Rounds(int count) : Event
        {
            public int Count { get; } = count;
        }

        internal sealed class Tick : Event
        {
        }

        [Start]
        [OnEntry(nameof(Begin))]
        [OnEventDoAction(typeof(Tick), nameof(OnTick))]
        private sealed class Talking : State
        {
        }

        private void Begin(Event e)
        {
            left = ((Rounds)e).Count;
            SendEvent(Id, new Tick());
        }

        private void OnTick()
        {
            if (--left > 0)
            {
                SendEvent(Id, new Tick());
            }
        }
    }
}
