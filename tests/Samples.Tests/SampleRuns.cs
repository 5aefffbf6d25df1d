using System;
using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Samples.Tests;

/// <summary>Explores a sample, and replays the trace of the bug it found: the steps every bug-finding test shares.</summary>
internal static class SampleRuns
{
    internal static TestingEngine Explore(Configuration configuration, Action<IActorRuntime> test)
    {
        TestingEngine engine = TestingEngine.Create(configuration, test);
        engine.Run();
        Assert.Null(engine.TestReport.Error);
        return engine;
    }

    /// <summary>Explores until the first bug, asserts its kind, and returns the engine holding its trace.</summary>
    internal static TestingEngine FindBug(Configuration configuration, Action<IActorRuntime> test, BugKind kind)
    {
        TestingEngine engine = Explore(configuration, test);
        BugReport bug = engine.TestReport.Bug;
        Assert.True(bug is not null, "No bug found:\n" + engine.TestReport.Summary());
        Assert.Equal(kind, bug.Kind);
        Assert.NotEmpty(engine.ReproducibleTrace);
        return engine;
    }

    /// <summary>Replays the reproducible trace of <paramref name="found"/> and asserts it ends in the same bug, without divergence.</summary>
    internal static TestReport ReplayBug(TestingEngine found, Action<IActorRuntime> test)
    {
        TestingEngine replay = TestingEngine.Create(Configuration.Create().WithReproducibleTrace(found.ReproducibleTrace), test);
        replay.Run();
        TestReport report = replay.TestReport;
        Assert.Null(report.Divergence);
        Assert.Null(report.Error);
        Assert.NotNull(report.Bug);
        Assert.Equal(found.TestReport.Bug.Summary, report.Bug.Summary);
        Assert.Equal(found.TestReport.Bug.Step, report.Bug.Step);
        return report;
    }
}
