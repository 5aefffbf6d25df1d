using Verify.Actors;
using Verify.Specifications;

namespace Samples.DrinksServingRobot;

internal class RobotSetup : Event
{
    public readonly ActorId Planner;
    public readonly bool QueuesOrders;

    public RobotSetup(ActorId planner, bool queuesOrders)
    {
        this.Planner = planner;
        this.QueuesOrders = queuesOrders;
    }
}

internal class ClientSetup : Event
{
    public readonly ActorId Robot;

    public ClientSetup(ActorId robot)
    {
        this.Robot = robot;
    }
}

internal class DrinkOrderEvent : Event
{
    public readonly ActorId Client;
    public readonly int Table;
    public readonly string Drink;

    public DrinkOrderEvent(ActorId client, int table, string drink)
    {
        this.Client = client;
        this.Table = table;
        this.Drink = drink;
    }
}

internal class RouteRequestEvent : Event
{
    public readonly ActorId Robot;
    public readonly int Table;

    public RouteRequestEvent(ActorId robot, int table)
    {
        this.Robot = robot;
        this.Table = table;
    }
}

internal class RouteEvent : Event
{
    public readonly int Steps;

    public RouteEvent(int steps)
    {
        this.Steps = steps;
    }
}

internal class DrinkServedEvent : Event
{
    public readonly int Table;

    public DrinkServedEvent(int table)
    {
        this.Table = table;
    }
}

internal class OrderPlaced : Monitor.Event
{
    public readonly int Table;

    public OrderPlaced(int table)
    {
        this.Table = table;
    }
}

internal class OrderServed : Monitor.Event
{
    public readonly int Table;

    public OrderServed(int table)
    {
        this.Table = table;
    }
}
