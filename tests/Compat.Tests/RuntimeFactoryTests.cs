using System.Collections.Generic;
using System.Threading.Tasks;
using Verify;
using Verify.Actors;
using Xunit;

namespace Compat.Tests;

public class RuntimeFactoryTests
{
    private sealed class Add : Event
    {
        public Add(int x, int y)
        {
            X = x;
            Y = y;
        }

        public int X { get; }

        public int Y { get; }
    }

    private sealed class Adder : Actor
    {
        protected override Task OnInitializeAsync(Event initialEvent)
        {
            var add = (Add)initialEvent;
            Assert(add.X >= 0, "negative operand {0}", add.X);
            (CurrentEventGroup as AwaitableEventGroup<int>)?.SetResult(add.X + add.Y);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task RuntimeFactory_Create_RunsActorsOnTheCallersThread_UntilTheyAreIdle()
    {
        IActorRuntime runtime = RuntimeFactory.Create(Configuration.Create().WithRandomGeneratorSeed(1));
        var op = new AwaitableEventGroup<int>();
        runtime.CreateActor(typeof(Adder), new Add(2, 3), op);

        Assert.True(op.IsCompleted);
        Assert.Equal(5, await op);
        Assert.Equal(1, runtime.GetCurrentActorCount());
    }

    [Fact]
    public void RuntimeFactory_Create_ReportsAFailedAssertionThroughOnFailure()
    {
        IActorRuntime runtime = RuntimeFactory.Create();
        var failures = new List<string>();
        runtime.OnFailure += ex => failures.Add(ex.Message);
        runtime.CreateActor(typeof(Adder), new Add(-1, 3));

        Assert.Equal(new[] { "negative operand -1" }, failures);
    }
}
