using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;

namespace Verify.Harness.Reference;

/// <summary>
/// A coffee-machine-like controller for the benchmark (bug-free): it reads sensors that answer
/// with random values, heats, grinds and brews on timers, and serves a client's orders. A safety
/// monitor checks the grinder never runs with the door open; a liveness monitor is hot while an
/// order is pending, so liveness checking is part of the measured cost.
/// </summary>
public static class CoffeeMachine
{
    internal const int Orders = 3;

    [Test]
    public static void Execute(IActorRuntime runtime)
    {
        runtime.RegisterMonitor<DoorSafety>();
        runtime.RegisterMonitor<OrderServed>();
        ActorId sensors = runtime.CreateActor(typeof(Sensors));
        ActorId machine = runtime.CreateActor(typeof(Controller), new Controller.Config(sensors));
        runtime.CreateActor(typeof(Client), new Client.Config(machine));
    }

    internal sealed class ReadSensors(ActorId replyTo) : Event
    {
        public ActorId ReplyTo { get; } = replyTo;
    }

    internal sealed class SensorReadings(bool doorOpen, int waterLevel, int hopperLevel) : Event
    {
        public bool DoorOpen { get; } = doorOpen;

        public int WaterLevel { get; } = waterLevel;

        public int HopperLevel { get; } = hopperLevel;
    }

    internal sealed class StartTimer(ActorId owner, int ticks) : Event
    {
        public ActorId Owner { get; } = owner;

        public int Ticks { get; } = ticks;
    }

    internal sealed class Tick : Event
    {
    }

    internal sealed class TimerElapsed : Event
    {
    }

    internal sealed class MakeCoffee(ActorId client) : Event
    {
        public ActorId Client { get; } = client;
    }

    internal sealed class CoffeeCompleted : Event
    {
    }

    internal sealed class GrinderOn : Event
    {
    }

    internal sealed class GrinderOff : Event
    {
    }

    internal sealed class DoorOpened : Event
    {
    }

    internal sealed class DoorClosed : Event
    {
    }

    internal sealed class Sensors : StateMachine
    {
        private bool doorOpen;

        [Start]
        [OnEventDoAction(typeof(ReadSensors), nameof(OnRead))]
        private sealed class Serving : State
        {
        }

        private void OnRead(Event e)
        {
            // The door is usually closed; when it opens, someone closes it again before the next read.
            bool wasOpen = doorOpen;
            doorOpen = !wasOpen && RandomInteger(4) == 0;
            if (doorOpen != wasOpen)
            {
                Monitor<DoorSafety>(doorOpen ? new DoorOpened() : new DoorClosed());
            }

            SendEvent(((ReadSensors)e).ReplyTo, new SensorReadings(doorOpen, RandomInteger(100), RandomInteger(100)));
        }
    }

    internal sealed class Timer : StateMachine
    {
        private ActorId owner = null!;
        private int left;

        [Start]
        [OnEventDoAction(typeof(StartTimer), nameof(OnStart))]
        [OnEventDoAction(typeof(Tick), nameof(OnTick))]
        private sealed class Running : State
        {
        }

        private void OnStart(Event e)
        {
            var s = (StartTimer)e;
            owner = s.Owner;
            left = s.Ticks;
            SendEvent(Id, new Tick());
        }

        private void OnTick()
        {
            if (--left > 0)
            {
                SendEvent(Id, new Tick());
            }
            else
            {
                SendEvent(owner, new TimerElapsed());
            }
        }
    }

    internal sealed class Controller : StateMachine
    {
        private ActorId sensors = null!;
        private ActorId timer = null!;
        private ActorId? client;
        private bool heated;

        internal sealed class Config(ActorId sensors) : Event
        {
            public ActorId Sensors { get; } = sensors;
        }

        [Start]
        [OnEntry(nameof(OnInit))]
        [DeferEvents(typeof(MakeCoffee))]
        [OnEventDoAction(typeof(SensorReadings), nameof(OnReadings))]
        private sealed class CheckSensors : State
        {
        }

        [OnEntry(nameof(OnHeat))]
        [DeferEvents(typeof(MakeCoffee))]
        [OnEventGotoState(typeof(TimerElapsed), typeof(Ready))]
        private sealed class Heating : State
        {
        }

        [OnEntry(nameof(OnReady))]
        [OnEventDoAction(typeof(MakeCoffee), nameof(OnOrder))]
        [OnEventDoAction(typeof(SensorReadings), nameof(OnReadingsBeforeGrind))]
        private sealed class Ready : State
        {
        }

        [OnEntry(nameof(OnGrind))]
        [OnExit(nameof(OnGrindDone))]
        [DeferEvents(typeof(MakeCoffee))]
        [OnEventGotoState(typeof(TimerElapsed), typeof(Brewing))]
        private sealed class Grinding : State
        {
        }

        [OnEntry(nameof(OnBrew))]
        [DeferEvents(typeof(MakeCoffee))]
        [OnEventDoAction(typeof(TimerElapsed), nameof(OnBrewed))]
        private sealed class Brewing : State
        {
        }

        private void OnInit(Event e)
        {
            sensors = ((Config)e).Sensors;
            timer = CreateActor(typeof(Timer));
            SendEvent(sensors, new ReadSensors(Id));
        }

        private void OnReadings(Event e)
        {
            var r = (SensorReadings)e;
            if (r.DoorOpen || r.WaterLevel < 10)
            {
                SendEvent(sensors, new ReadSensors(Id));
                return;
            }

            RaiseGotoStateEvent<Heating>();
        }

        private void OnHeat() => SendEvent(timer, new StartTimer(Id, heated ? 1 : 3));

        private void OnReady() => heated = true;

        private void OnOrder(Event e)
        {
            client = ((MakeCoffee)e).Client;
            SendEvent(sensors, new ReadSensors(Id));
        }

        private void OnReadingsBeforeGrind(Event e)
        {
            var r = (SensorReadings)e;
            if (r.DoorOpen || r.HopperLevel < 5)
            {
                SendEvent(sensors, new ReadSensors(Id));
                return;
            }

            RaiseGotoStateEvent<Grinding>();
        }

        private void OnGrind()
        {
            Monitor<DoorSafety>(new GrinderOn());
            SendEvent(timer, new StartTimer(Id, 2));
        }

        private void OnGrindDone() => Monitor<DoorSafety>(new GrinderOff());

        private void OnBrew() => SendEvent(timer, new StartTimer(Id, 2));

        private void OnBrewed()
        {
            SendEvent(client!, new CoffeeCompleted());
            Monitor<OrderServed>(new CoffeeCompleted());
            RaiseGotoStateEvent<Ready>();
        }
    }

    internal sealed class Client : StateMachine
    {
        private ActorId machine = null!;
        private int left = Orders;

        internal sealed class Config(ActorId machine) : Event
        {
            public ActorId Machine { get; } = machine;
        }

        [Start]
        [OnEntry(nameof(OnStart))]
        [OnEventDoAction(typeof(CoffeeCompleted), nameof(OnCoffee))]
        private sealed class Ordering : State
        {
        }

        private void OnStart(Event e)
        {
            machine = ((Config)e).Machine;
            Order();
        }

        private void OnCoffee()
        {
            if (--left > 0)
            {
                Order();
            }
        }

        private void Order()
        {
            Monitor<OrderServed>(new MakeCoffee(Id));
            SendEvent(machine, new MakeCoffee(Id));
        }
    }

    /// <summary>Safety: the grinder never runs while the door is open.</summary>
    internal sealed class DoorSafety : Monitor
    {
        private bool doorOpen;
        private bool grinding;

        [Start]
        [OnEventDoAction(typeof(DoorOpened), nameof(OnOpened))]
        [OnEventDoAction(typeof(DoorClosed), nameof(OnClosed))]
        [OnEventDoAction(typeof(GrinderOn), nameof(OnGrinderOn))]
        [OnEventDoAction(typeof(GrinderOff), nameof(OnGrinderOff))]
        private sealed class Watching : State
        {
        }

        private void OnOpened()
        {
            doorOpen = true;
            Assert(!grinding, "The door opened while the grinder runs.");
        }

        private void OnClosed() => doorOpen = false;

        private void OnGrinderOn()
        {
            grinding = true;
            Assert(!doorOpen, "The grinder started with the door open.");
        }

        private void OnGrinderOff() => grinding = false;
    }

    /// <summary>Liveness: every order is eventually served.</summary>
    internal sealed class OrderServed : Monitor
    {
        [Start]
        [Cold]
        [OnEventGotoState(typeof(MakeCoffee), typeof(Pending))]
        private sealed class Idle : State
        {
        }

        [Hot]
        [OnEventGotoState(typeof(CoffeeCompleted), typeof(Idle))]
        private sealed class Pending : State
        {
        }
    }
}
