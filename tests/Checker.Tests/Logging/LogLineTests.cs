using Verify.Logging;
using Xunit;

namespace Checker.Tests.Logging;

public sealed class LogLineTests
{
    [Fact]
    public void AnInterpolatedLineIsWrittenWhenTheLoggerKeepsLines()
    {
        var lines = new List<string>();
        ILogger logger = new ModelLogger(lines.Add);
        int cpu = 1;
        logger.WriteLine($"cpu{cpu}: {"rcu_note_context_switch()"} {3,3}|{0.5:F2}");
        Assert.Equal(["cpu1: rcu_note_context_switch()   3|0.50"], lines);
    }

    [Fact]
    public void NoHoleIsEvaluatedWhenTheLoggerDropsLines()
    {
        int evaluated = 0;
        string Hole()
        {
            evaluated++;
            return "x";
        }

        ILogger off = ModelLogger.Null;
        off.WriteLine($"cpu0: {Hole()}");
        off.Write($"cpu0: {Hole()}");
        Assert.Equal(0, evaluated);

        ILogger on = new MemoryLogger();
        on.WriteLine($"cpu0: {Hole()}");
        Assert.Equal(1, evaluated);
        Assert.Equal("cpu0: x\n", on.ToString());
    }
}
