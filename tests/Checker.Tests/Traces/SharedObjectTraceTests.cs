using Verify;
using Verify.Actors;
using Verify.Actors.SharedObjects;
using Verify.SystematicTesting;
using Verify.Traces;
using Xunit;

namespace Checker.Tests.Traces;

/// <summary>
/// A stateful search runs shared-object operations within their handler's step, a sampling run
/// makes each a scheduling point; a trace records which, so its replay takes the same decisions.
/// </summary>
public sealed class SharedObjectTraceTests
{
    private sealed class Start : Event
    {
        public Start(SharedRegister<int> register) => Register = register;

        public SharedRegister<int> Register { get; }
    }

    /// <summary>Reads the register in one handler and, in the next, checks nobody wrote since, then writes.</summary>
    [OnEventDoAction(typeof(Start), nameof(OnStart))]
    private sealed class Writer : Actor
    {
        private SharedRegister<int> register = null!;
        private int read;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            register = ((Start)initialEvent!).Register;
            read = register.GetValue();
            SendEvent(Id, new Start(register));
            return Task.CompletedTask;
        }

        private void OnStart()
        {
            Assert(register.GetValue() == read, "another writer got in");
            register.SetValue(read + 1);
        }
    }

    private static void Test(IActorRuntime r)
    {
        var register = SharedRegister<int>.Create(r);
        r.CreateActor(typeof(Writer), new Start(register));
        r.CreateActor(typeof(Writer), new Start(register));
    }

    [Theory]
    [InlineData("stateful-dfs", true)]
    [InlineData("random", false)]
    public void BugTrace_SaysWhetherSharedObjectsWereAtomic_AndReplays(string strategy, bool atomic)
    {
        using TestingEngine engine = TestingEngine.Create(
            Configuration.Create().WithStrategy(strategy, 0).WithTestingIterations(300).WithRandomGeneratorSeed(3), Test);
        engine.Run();
        Assert.NotNull(engine.TestReport.Bug);
        string text = engine.ReproducibleTrace;
        Assert.Equal(atomic, text.Contains("# shared-objects", StringComparison.Ordinal));
        Assert.Equal(atomic, TraceReader.Read(text).AtomicSharedObjects);

        using TestingEngine replay = TestingEngine.Create(Configuration.Create().WithReproducibleTrace(text), Test);
        replay.Run();
        Assert.Null(replay.TestReport.Divergence);
        Assert.Equal(engine.TestReport.Bug!.Summary, replay.TestReport.Bug?.Summary);
    }
}
