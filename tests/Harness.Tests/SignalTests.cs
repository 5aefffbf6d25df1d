using System.Diagnostics;
using System.Text.Json;
using System.Threading;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>
/// SIGINT and SIGTERM stop a campaign at the next iteration: the summary, the report and a
/// documented exit code, not a killed process. Each test runs `verify` as a child process, waits
/// until its first iteration has started, then signals it.
/// </summary>
public sealed class SignalTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string dir = Directory.CreateTempSubdirectory("verify-signal-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Test_StoppedBySigint_PrintsItsSummary_WritesItsReport_AndExits130() =>
        StopsCleanly("INT", "SIGINT", 130);

    [Fact]
    public void Test_StoppedBySigterm_PrintsItsSummary_WritesItsReport_AndExits143() =>
        StopsCleanly("TERM", "SIGTERM", 143);

    [Fact]
    public async Task Test_SentASecondSigint_EndsAtOnce_WithoutWaitingForTheIteration()
    {
        // Each iteration sleeps a minute: the first signal waits for its end, the second does not.
        (Process child, Task<string> stdout, Task<string> stderr) = Start(Path.Combine(dir, "out"), sleepMs: 60_000);
        using (child)
        {
            try
            {
                Signal(child, "INT");
                Thread.Sleep(500);
                Signal(child, "INT");
                Assert.True(child.WaitForExit(TimeSpan.FromSeconds(20)), "verify did not end after the second signal");
            }
            finally
            {
                if (!child.HasExited)
                {
                    child.Kill();
                }
            }

            Assert.Equal(130, child.ExitCode);
            Assert.DoesNotContain("Test          ", await stdout);
            Assert.StartsWith("verify: SIGINT received: stopping at the next iteration", await stderr);
        }
    }

    private void StopsCleanly(string signal, string name, int expectedCode)
    {
        string outDir = Path.Combine(dir, "out");
        (Process child, Task<string> stdout, Task<string> stderr) = Start(outDir, sleepMs: 0);
        using (child)
        {
            try
            {
                Thread.Sleep(300); // some iterations past the first
                Signal(child, signal);
                Assert.True(child.WaitForExit(Patience), "verify did not stop after the signal");
            }
            finally
            {
                if (!child.HasExited)
                {
                    child.Kill();
                }
            }

            Check(child, stdout.Result, stderr.Result, outDir, name, expectedCode);
        }
    }

    private static void Signal(Process child, string signal)
    {
        using Process kill = Process.Start("kill", ["-" + signal, child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Starts `verify test` on the endless campaign and returns once its first iteration has begun.</summary>
    private (Process Child, Task<string> Stdout, Task<string> Stderr) Start(string outDir, int sleepMs)
    {
        string started = Path.Combine(dir, "started");
        string self = typeof(SignalFixtures).Assembly.Location;
        string verify = Path.Combine(AppContext.BaseDirectory, "Verify.dll");

        // `env --default-signal` undoes a SIGINT ignored by whoever started the tests (a background job), which the child would inherit.
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in (string[])["--default-signal=INT,TERM", Dotnet(), verify, "test", self, "-m", "EndlessCampaign", "-i", "2000000000", "--seed", "3", "-s", "random", "-o", outDir])
        {
            start.ArgumentList.Add(a);
        }

        start.Environment[SignalFixtures.StartedFileVariable] = started;
        start.Environment[SignalFixtures.SleepVariable] = sleepMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Process child = Process.Start(start)!;
        Task<string> stdout = child.StandardOutput.ReadToEndAsync();
        Task<string> stderr = child.StandardError.ReadToEndAsync();
        var wait = Stopwatch.StartNew();
        while (!File.Exists(started))
        {
            if (child.HasExited)
            {
                Assert.Fail($"verify ended before its first iteration: {stderr.Result}{stdout.Result}");
            }

            if (wait.Elapsed > Patience)
            {
                child.Kill();
                Assert.Fail("verify did not start its first iteration in time");
            }

            Thread.Sleep(50);
        }

        return (child, stdout, stderr);
    }

    private static void Check(Process child, string output, string errors, string outDir, string name, int expectedCode)
    {
        Assert.Equal(expectedCode, child.ExitCode);
        Assert.Contains("; interrupted (stopped on request)", output);
        Assert.Matches($@"Stopped       by {name} after \d+ of 2000000000 iterations: no bug in those; the counts above cover them", output);
        Assert.Contains("Result        no bug found (", output);
        Assert.StartsWith($"verify: {name} received: stopping at the next iteration", errors);

        string report = Path.Combine(outDir, "Verify.Harness.Tests.SignalFixtures.EndlessCampaign.report.json");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.True(json.RootElement.GetProperty("interrupted").GetBoolean());
        int iterations = json.RootElement.GetProperty("iterations").GetInt32();
        Assert.InRange(iterations, 1, 1_999_999_999);
        Assert.Contains($"Iterations    {iterations} (", output);
    }

    private static string Dotnet() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
