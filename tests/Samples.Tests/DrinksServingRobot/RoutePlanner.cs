using Verify.Actors;

namespace Samples.DrinksServingRobot;

/// <summary>Answers a route request with a route of one to three steps.</summary>
[OnEventDoAction(typeof(RouteRequestEvent), nameof(OnRequest))]
internal class RoutePlanner : Actor
{
    private void OnRequest(Event e)
    {
        var request = (RouteRequestEvent)e;
        this.SendEvent(request.Robot, new RouteEvent(1 + this.RandomInteger(3)));
    }
}
