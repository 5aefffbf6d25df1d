using System.Diagnostics;
using Verify.SystematicTesting;

namespace Verify.Harness;

internal static class Cli
{
    internal static ExitCode Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        foreach (int n in new[] { 1, 10, 50 })
        {
            var sw = Stopwatch.StartNew();
            var e = TestingEngine.Create(Configuration.Create().WithTestingIterations((uint)(n * 100)).WithRandomStrategy().WithRandomGeneratorSeed(1), Reference.PingPong.Execute);
            e.Run();
            stdout.WriteLine(e.TestReport.Summary());
        }

        return ExitCode.Success;
    }
}
