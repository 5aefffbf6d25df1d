using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.StateSpace;

/// <summary>
/// A state the search cannot hash or restore is reported as the run's error, naming the field
/// path and the type, with what to do; the engine does not crash and reports no bug.
/// </summary>
public sealed class CaptureErrorTests
{
    private const string Advice = " Stateful search hashes and restores the model's fields; mark a field that is not part of the state [NotHashed], "
        + "or keep plain data (numbers, strings, ActorIds, collections, objects of those) in it.";

    [Fact]
    public void DelegateField_IsAnError_NamingTheFieldAndType()
    {
        TestReport report = Run(r => r.CreateActor(typeof(WithCallback)));

        Assert.Null(report.Bug);
        Assert.Equal("State capture failed: WithCallback(1).callback holds a delegate, which is code rather than data (System.Action)." + Advice, report.Error);
        Assert.Contains("Error         State capture failed: WithCallback(1).callback", report.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void DelegateInsideACollection_IsAnError_WithItsIndex()
    {
        TestReport report = Run(r => r.CreateActor(typeof(WithHandlers)));

        Assert.StartsWith("State capture failed: WithHandlers(1).handlers[1] holds a delegate, which is code rather than data (System.Func`1[[System.Int32", report.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TaskField_IsAnError()
    {
        TestReport report = Run(r => r.CreateActor(typeof(WithTask)));

        Assert.StartsWith("State capture failed: WithTask(1).pending holds a task, a running computation rather than data (System.Threading.Tasks.Task", report.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void PointerField_IsAnError()
    {
        TestReport report = Run(r => r.CreateActor(typeof(WithPointer)));

        Assert.Equal("State capture failed: WithPointer(1).handle holds an unmanaged pointer (IntPtr)." + Advice, report.Error);
    }

    [Fact]
    public void NotHashedDelegate_IsSkipped()
    {
        TestReport report = Run(r => r.CreateActor(typeof(WithIgnoredCallback)));

        Assert.Null(report.Error);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void HandlerSuspendedOnSomethingButAReceive_IsAnError()
    {
        // Task.WhenAll wraps the receive: the awaited task is neither an async method nor the receive itself.
        TestReport report = Run(r => r.CreateActor(typeof(WaitsThroughWhenAll)));

        Assert.NotNull(report.Error);
        Assert.StartsWith(
            "State capture failed: WaitsThroughWhenAll(1) is suspended inside an async handler; stateful search needs handlers that complete "
            + "(it awaits System.Threading.Tasks.Task+WhenAllPromise",
            report.Error,
            StringComparison.Ordinal);
    }

    private static TestReport Run(Action<IActorRuntime> test) => Stateful.Dfs(test).TestReport;

    internal sealed class WithCallback : Actor
    {
        private readonly Action callback = () => { };

        internal Action Callback => callback;
    }

    internal sealed class WithHandlers : Actor
    {
        private readonly List<object> handlers = [1, new Func<int>(() => 2)];

        internal int Count => handlers.Count;
    }

    internal sealed class WithTask : Actor
    {
        private readonly Task pending = new TaskCompletionSource().Task;

        internal Task Pending => pending;
    }

    internal sealed class WithPointer : Actor
    {
        private readonly IntPtr handle = 42;

        internal IntPtr Handle => handle;
    }

    internal sealed class WithIgnoredCallback : Actor
    {
        [NotHashed]
        private readonly Action callback = () => { };

        internal Action Callback => callback;
    }

    internal sealed class Wake : Event
    {
    }

    internal sealed class WaitsThroughWhenAll : Actor
    {
        protected override async Task OnInitializeAsync(Event? initialEvent) => await Task.WhenAll(ReceiveEventAsync(typeof(Wake)));
    }
}
