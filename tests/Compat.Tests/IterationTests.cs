using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Compat.Tests;

public class IterationTests : BaseActorTest
{
    private static int bodies;

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Echo : Actor
    {
        private void OnPing()
        {
        }
    }

    [Theory]
    [InlineData("portfolio")]
    [InlineData("prioritization")]
    [InlineData("fair-prioritization")]
    [InlineData("delay-bounding")]
    [InlineData("random")]
    public void Testing_EachIteration_RunsTheTestBodyOnce(string strategy)
    {
        bodies = 0;
        TestReport report = Test(
            r =>
            {
                bodies++;
                ActorId a = r.CreateActor(typeof(Echo));
                r.SendEvent(a, new Ping());
                r.SendEvent(r.CreateActor(typeof(Echo)), new Ping());
            },
            GetConfiguration().WithStrategy(strategy, 0).WithTestingIterations(10));

        Assert.Equal(10, report.Iterations);
        Assert.Equal(10, bodies);
    }
}
