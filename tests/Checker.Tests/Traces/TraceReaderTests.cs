using Verify.Traces;
using Xunit;

namespace Checker.Tests.Traces;

public sealed class TraceReaderTests
{
    private const string Valid =
        "# verify-trace 1\n"
        + "# test               Shop.Checkout\n"
        + "# strategy           pct(changes=3, seed=9127)\n"
        + "# iteration          41\n"
        + "# seed               7\n"
        + "# max-steps          10000\n"
        + "# fair               true\n"
        + "# liveness-threshold 500\n"
        + "# fail-on-max-steps  false\n"
        + "# bug                Assertion: basket lost an item\n"
        + "# decisions          4\n"
        + "sched 1\n"
        + "bool 1\n"
        + "int 2/5\n"
        + "sched 3\n";

    [Fact]
    public void Read_ParsesEveryHeaderAndDecision()
    {
        Trace trace = TraceReader.Read(Valid);

        Assert.Equal("Shop.Checkout", trace.Test);
        Assert.Equal("pct(changes=3, seed=9127)", trace.Strategy);
        Assert.Equal(41, trace.Iteration);
        Assert.Equal(7UL, trace.Seed);
        Assert.Equal(10000, trace.MaxSteps);
        Assert.True(trace.Fair);
        Assert.Equal(500, trace.LivenessThreshold);
        Assert.False(trace.FailOnMaxSteps);
        Assert.Equal("Assertion: basket lost an item", trace.Bug);
        Assert.Equal(
            [new Decision(DecisionKind.Schedule, 1, 0), new Decision(DecisionKind.Boolean, 1, 2), new Decision(DecisionKind.Integer, 2, 5), new Decision(DecisionKind.Schedule, 3, 0)],
            trace.Decisions);
    }

    [Fact]
    public void Write_ThenRead_GivesBackTheSameText()
    {
        Assert.Equal(Valid, TraceWriter.Write(TraceReader.Read(Valid)));
    }

    [Fact]
    public void Parameters_AreWrittenAfterTheTest_AndReadBackInOrder()
    {
        string withParams = Valid.Replace("# test               Shop.Checkout\n", "# test               Shop.Checkout\n# param              Baskets=2\n# param              Shelf=top=1\n", StringComparison.Ordinal);

        Trace trace = TraceReader.Read(withParams);

        Assert.Equal([KeyValuePair.Create("Baskets", "2"), KeyValuePair.Create("Shelf", "top=1")], trace.Parameters);
        Assert.Equal(withParams, TraceWriter.Write(trace));
        Assert.Empty(TraceReader.Read(Valid).Parameters);
    }

    [Theory]
    [InlineData("Baskets")]
    [InlineData("=2")]
    [InlineData("Baskets=")]
    [InlineData("Baskets =2")]
    public void Read_RejectsAParameterLineThatIsNotNameEqualsValue(string param)
    {
        string text = Valid.Replace("# iteration", $"# param              {param}\n# iteration", StringComparison.Ordinal);

        var ex = Assert.Throws<TraceFormatException>(() => TraceReader.Read(text, "checkout.trace"));

        Assert.Equal($"checkout.trace:4: a '# param' line gives NAME=VALUE, not '{param}'.", ex.Message);
    }

    [Fact]
    public void Read_AcceptsWindowsLineEndings()
    {
        Trace trace = TraceReader.Read(Valid.ReplaceLineEndings("\r\n"));

        Assert.Equal(4, trace.Decisions.Count);
        Assert.Equal("Shop.Checkout", trace.Test);
    }

    [Fact]
    public void Read_RejectsAFileThatIsNotATrace()
    {
        var ex = Assert.Throws<TraceFormatException>(() => TraceReader.Read("sched 1\n"));

        Assert.Equal("trace:1: not a Verify trace (the first line must be '# verify-trace 1').", ex.Message);
    }

    [Fact]
    public void Read_RejectsAnUnsupportedVersion()
    {
        var ex = Assert.Throws<TraceFormatException>(() => TraceReader.Read(Valid.Replace("# verify-trace 1", "# verify-trace 2", StringComparison.Ordinal)));

        Assert.Equal("trace:1: trace format version 2 is not supported (this Verify reads version 1).", ex.Message);
    }

    [Theory]
    [InlineData("schedule 3", 15)]
    [InlineData("sched 0", 15)]
    [InlineData("sched -1", 15)]
    [InlineData("bool 2", 15)]
    [InlineData("int 5/5", 15)]
    [InlineData("int 3", 15)]
    public void Read_RejectsABadDecisionLine_NamingItsLine(string line, int lineNumber)
    {
        string text = Valid.Replace("sched 3\n", line + "\n", StringComparison.Ordinal);

        var ex = Assert.Throws<TraceFormatException>(() => TraceReader.Read(text, "checkout.trace"));

        Assert.Equal(
            $"checkout.trace:{lineNumber}: cannot read '{line}'; expected 'sched <operation id>', 'bool 0|1', 'int <value>/<bound>' or 'loop'.",
            ex.Message);
    }

    [Fact]
    public void Read_RejectsATruncatedFile_ByItsDecisionCount()
    {
        string truncated = Valid[..Valid.IndexOf("int 2/5", StringComparison.Ordinal)];

        var ex = Assert.Throws<TraceFormatException>(() => TraceReader.Read(truncated));

        Assert.Equal("trace: the header promises 4 decisions but the file has 2; it was truncated or edited.", ex.Message);
    }

    [Fact]
    public void Read_RejectsATraceWithoutATestHeader()
    {
        string text = Valid.Replace("# test               Shop.Checkout\n", string.Empty, StringComparison.Ordinal);

        var ex = Assert.Throws<TraceFormatException>(() => TraceReader.Read(text));

        Assert.Equal("trace: the header has no '# test' line naming the test to replay.", ex.Message);
    }

    [Theory]
    [InlineData("# fair               maybe", "trace: header 'fair' should be true or false, not 'maybe'.")]
    [InlineData("# max-steps          -5", "trace: header 'max-steps' should be a non-negative number, not '-5'.")]
    [InlineData("# seed               x", "trace: header 'seed' should be a non-negative number, not 'x'.")]
    public void Read_RejectsAMalformedHeaderValue(string header, string message)
    {
        string key = header.Split(' ')[1];
        string text = string.Join('\n', Valid.Split('\n').Select(l => l.StartsWith("# " + key + " ", StringComparison.Ordinal) ? header : l));

        var ex = Assert.Throws<TraceFormatException>(() => TraceReader.Read(text));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void ReadFile_ReportsAMissingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "verify-no-such-" + Guid.NewGuid().ToString("N") + ".trace");

        var ex = Assert.Throws<TraceFormatException>(() => TraceReader.ReadFile(path));

        Assert.Equal($"{path}: no such trace file.", ex.Message);
    }
}
