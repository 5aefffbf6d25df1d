using System;
using System.Threading.Tasks;
using Verify.Actors;
using Verify.Actors.Timers;

namespace Samples.DrinksServingRobot;

/// <summary>
/// Orders a drink for table 1 at once and one for table 2 when its timer fires (before or after
/// the first is served: the timer decides). When both are served it completes the event group it
/// was created with, if that group is awaitable.
/// </summary>
[OnEventDoAction(typeof(TimerElapsedEvent), nameof(OnSecondOrder))]
[OnEventDoAction(typeof(DrinkServedEvent), nameof(OnServed))]
internal class Client : Actor
{
    private ActorId robot;
    private int served;

    protected override Task OnInitializeAsync(Event initialEvent)
    {
        this.robot = ((ClientSetup)initialEvent).Robot;
        this.Order(1, "espresso");
        this.StartTimer(TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    private void OnSecondOrder() => this.Order(2, "lemonade");

    private void Order(int table, string drink)
    {
        this.Monitor<ServedMonitor>(new OrderPlaced(table));
        this.SendEvent(this.robot, new DrinkOrderEvent(this.Id, table, drink));
    }

    private void OnServed()
    {
        this.served++;
        if (this.served == 2 && this.CurrentEventGroup is AwaitableEventGroup<int> done)
        {
            done.TrySetResult(this.served);
        }
    }
}
