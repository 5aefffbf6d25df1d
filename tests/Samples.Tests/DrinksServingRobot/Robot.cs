using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Verify.Actors;
using Verify.Actors.Timers;

namespace Samples.DrinksServingRobot;

/// <summary>
/// Takes a drink order, asks the planner for a route, walks it one step per tick of a travel
/// timer, serves, and goes back to idle. An order that arrives while it is busy is queued (fixed)
/// or replaces the one in hand (buggy: the first order is lost).
/// </summary>
internal class Robot : StateMachine
{
    private ActorId planner;
    private bool queuesOrders;
    private readonly Queue<DrinkOrderEvent> waiting = new Queue<DrinkOrderEvent>();
    private DrinkOrderEvent order;
    private int stepsLeft;
    private TimerInfo travelTimer;

    [Start]
    [OnEntry(nameof(OnInit))]
    [OnEventDoAction(typeof(DrinkOrderEvent), nameof(OnOrder))]
    private class Idle : State
    {
    }

    [OnEventDoAction(typeof(RouteEvent), nameof(OnRoute))]
    [OnEventDoAction(typeof(DrinkOrderEvent), nameof(OnOrderWhileBusy))]
    private class Planning : State
    {
    }

    [OnEventDoAction(typeof(TimerElapsedEvent), nameof(OnStep))]
    [OnEventDoAction(typeof(DrinkOrderEvent), nameof(OnOrderWhileBusy))]
    private class Moving : State
    {
    }

    [OnEntry(nameof(OnServe))]
    private class Serving : State
    {
    }

    private void OnInit(Event e)
    {
        if (e is RobotSetup setup)
        {
            this.planner = setup.Planner;
            this.queuesOrders = setup.QueuesOrders;
        }
    }

    private void OnOrder(Event e)
    {
        this.order = (DrinkOrderEvent)e;
        this.Logger.WriteLine("Robot takes the order of {0} for table {1}.", this.order.Drink, this.order.Table);
        this.SendEvent(this.planner, new RouteRequestEvent(this.Id, this.order.Table));
        this.RaiseGotoStateEvent<Planning>();
    }

    private void OnOrderWhileBusy(Event e)
    {
        if (this.queuesOrders)
        {
            this.waiting.Enqueue((DrinkOrderEvent)e);
        }
        else
        {
            // The bug: the order in hand is dropped for the new one.
            this.order = (DrinkOrderEvent)e;
        }
    }

    private void OnRoute(Event e)
    {
        this.stepsLeft = ((RouteEvent)e).Steps;
        this.travelTimer = this.StartPeriodicTimer(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
        this.RaiseGotoStateEvent<Moving>();
    }

    private void OnStep()
    {
        this.stepsLeft--;
        if (this.stepsLeft == 0)
        {
            // Ticks the timer already sent are dropped with it; Idle does not handle them.
            this.StopTimer(this.travelTimer);
            this.RaiseGotoStateEvent<Serving>();
        }
    }

    private void OnServe()
    {
        this.Monitor<ServedMonitor>(new OrderServed(this.order.Table));
        this.SendEvent(this.order.Client, new DrinkServedEvent(this.order.Table));
        if (this.waiting.Count > 0)
        {
            this.OnOrder(this.waiting.Dequeue());
        }
        else
        {
            this.RaiseGotoStateEvent<Idle>();
        }
    }

    protected override Task OnEventUnhandledAsync(Event e, string state)
    {
        this.Logger.WriteLine("Robot cannot handle {0} in {1}.", e.GetType().Name, state);
        return Task.CompletedTask;
    }
}
