using System;
using Verify;
using Verify.Actors;
using Verify.SystematicTesting;
using Xunit;

namespace Compat.Tests;

/// <summary>
/// The two checks Coyote's actor tests are written with: a test that must pass, and a test that
/// must fail with one message, whose trace must replay to the same message.
/// </summary>
public abstract class BaseActorTest
{
    protected static Configuration GetConfiguration() => Configuration.Create().WithRandomGeneratorSeed(7);

    protected static TestReport Test(Action<IActorRuntime> test, Configuration configuration = null)
    {
        using TestingEngine engine = TestingEngine.Create(configuration ?? GetConfiguration(), test);
        engine.Run();
        Assert.Null(engine.TestReport.Error);
        Assert.True(engine.TestReport.Bug is null, "Unexpected bug: " + engine.TestReport.Bug?.Summary);
        return engine.TestReport;
    }

    protected static TestReport TestWithError(Action<IActorRuntime> test, string expectedError, Configuration configuration = null, BugKind? kind = null)
    {
        using TestingEngine engine = TestingEngine.Create(configuration ?? GetConfiguration(), test);
        engine.Run();
        TestReport report = engine.TestReport;
        Assert.Null(report.Error);
        Assert.True(report.Bug is not null, "No bug found:\n" + report.Summary());
        Assert.Equal(expectedError, report.Bug.Message);
        Assert.Equal(expectedError, Assert.Single(report.BugReports));
        if (kind is not null)
        {
            Assert.Equal(kind, report.Bug.Kind);
        }

        using TestingEngine replay = TestingEngine.Create(Configuration.Create().WithReproducibleTrace(engine.ReproducibleTrace), test);
        replay.Run();
        Assert.Null(replay.TestReport.Divergence);
        Assert.Equal(expectedError, replay.TestReport.Bug?.Message);
        return report;
    }

    /// <summary>As <see cref="TestWithError"/> for messages that end with a source location (exceptions).</summary>
    protected static TestReport TestWithErrorStartingWith(Action<IActorRuntime> test, string expectedStart, Configuration configuration = null)
    {
        using TestingEngine engine = TestingEngine.Create(configuration ?? GetConfiguration(), test);
        engine.Run();
        TestReport report = engine.TestReport;
        Assert.Null(report.Error);
        Assert.True(report.Bug is not null, "No bug found:\n" + report.Summary());
        Assert.StartsWith(expectedStart, report.Bug.Message);

        using TestingEngine replay = TestingEngine.Create(Configuration.Create().WithReproducibleTrace(engine.ReproducibleTrace), test);
        replay.Run();
        Assert.Null(replay.TestReport.Divergence);
        Assert.Equal(report.Bug.Message, replay.TestReport.Bug?.Message);
        return report;
    }
}
