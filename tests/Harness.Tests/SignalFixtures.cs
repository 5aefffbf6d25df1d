using Verify.Actors;
using Verify.SystematicTesting;

namespace Verify.Harness.Tests;

/// <summary>A campaign that never finds a bug and says when it has started, for the signal tests' child processes.</summary>
public static class SignalFixtures
{
    /// <summary>The file the first iteration creates, named by this environment variable.</summary>
    internal const string StartedFileVariable = "VERIFY_TEST_STARTED_FILE";

    /// <summary>Milliseconds each iteration's body sleeps, named by this environment variable: an iteration too slow to wait for.</summary>
    internal const string SleepVariable = "VERIFY_TEST_SLEEP_MS";

    /// <summary>Two writers of the same value: no order fails, so only the iteration bound or a signal ends it.</summary>
    [Test]
    public static void EndlessCampaign(IActorRuntime runtime)
    {
        if (Environment.GetEnvironmentVariable(StartedFileVariable) is string started && !File.Exists(started))
        {
            File.WriteAllText(started, "started\n");
        }

        if (int.TryParse(Environment.GetEnvironmentVariable(SleepVariable), System.Globalization.CultureInfo.InvariantCulture, out int ms))
        {
            System.Threading.Thread.Sleep(ms);
        }

        ActorId register = runtime.CreateActor(typeof(Fixtures.Register));
        runtime.CreateActor(typeof(Fixtures.Writer), new Fixtures.Writer.Setup(register, 1));
        runtime.CreateActor(typeof(Fixtures.Writer), new Fixtures.Writer.Setup(register, 1));
    }
}
