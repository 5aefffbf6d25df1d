using Checker.Tests.Support;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.Runtime;

/// <summary>
/// Models log every statement; searches run with logging off, so an interpolated line is not even
/// formatted then, while the replay that builds a bug's readable trace shows it.
/// </summary>
public sealed class ModelLoggerTests
{
    [Fact]
    public void InterpolatedLine_IsNotFormatted_WhileSearching()
    {
        Talker.Formatted = 0;
        TestingEngine quiet = Explore.With("random", r => r.CreateActor(typeof(Talker)), iterations: 20);
        TestingEngine stateful = Explore.With("stateful-dfs", r => r.CreateActor(typeof(Talker)), iterations: 1);

        Assert.Null(quiet.TestReport.Bug);
        Assert.True(stateful.TestReport.Exhausted);
        Assert.Equal(0, Talker.Formatted);
    }

    [Fact]
    public void InterpolatedLine_IsInTheReadableTraceOfABug()
    {
        TestingEngine engine = Explore.Once(r => r.CreateActor(typeof(Talker), new Talker.Fail()));

        Assert.NotNull(engine.TestReport.Bug);
        Assert.Contains("talker says 42", engine.ReadableTrace, StringComparison.Ordinal);
    }

    internal sealed class Talker : Actor
    {
        internal static int Formatted;

        internal sealed class Fail : Event
        {
        }

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            Logger.WriteLine($"talker says {Count()}");
            Assert(initialEvent is not Fail, "told to fail");
            return Task.CompletedTask;
        }

        private static int Count()
        {
            System.Threading.Interlocked.Increment(ref Formatted);
            return 42;
        }
    }
}
