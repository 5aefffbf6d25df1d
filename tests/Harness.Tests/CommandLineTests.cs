using Xunit;

namespace Verify.Harness.Tests;

/// <summary>
/// The command line as System.CommandLine parses it from each command's one list of options:
/// response files, `--name=value`, repeated options in order, help and the command list written
/// from the same declarations, and shell completion through the `[suggest]` directive.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private static readonly string Self = typeof(Fixtures).Assembly.Location;
    private readonly string dir = Path.Combine(Path.GetTempPath(), "verify-cmdline-" + Guid.NewGuid().ToString("N"));

    public CommandLineTests() => Directory.CreateDirectory(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static (ExitCode Code, string Out, string Err) Verify(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        ExitCode code = Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void Options_AcceptSpaceEqualsAndColonForms_AndKeepRepeatedValuesInOrder()
    {
        Options o = Options.Parse(["x", "--seed=5", "-i", "7", "--param", "A=1", "--param:B=2", "y"], Commands.TestCommand.Specs, "test");

        Assert.Equal(["x", "y"], o.Positionals);
        Assert.Equal("5", o.String("seed"));
        Assert.Equal(7, o.Int("iterations", 0));
        Assert.Equal(["A=1", "B=2"], o.Strings("param"));
        Assert.False(o.Has("por"));
    }

    [Fact]
    public void AResponseFile_SuppliesArguments_OnePerLine()
    {
        string rsp = Path.Combine(dir, "args.rsp");
        File.WriteAllLines(rsp, ["-m", "RacyRegister", "-i", "100", "--seed", "7", "-s", "random", "-o", Path.Combine(dir, "out")]);

        var r = Verify("test", Self, "@" + rsp);

        Assert.Equal(ExitCode.BugFound, r.Code);
        Assert.True(File.Exists(Path.Combine(dir, "out", "Verify.Harness.Tests.Fixtures.RacyRegister.trace")));
    }

    [Fact]
    public void AMissingResponseFile_IsAUsageError()
    {
        var r = Verify("test", Self, "@" + Path.Combine(dir, "none.rsp"));

        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Contains("none.rsp", r.Err);
    }

    [Theory]
    [InlineData("--bogus", "Unknown option '--bogus' for `verify test`.")]
    [InlineData("-x", "Unknown option '-x' for `verify test`.")]
    public void AnUnknownOption_IsNamed(string option, string message)
    {
        var r = Verify("test", Self, option);

        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Contains(message, r.Err);
    }

    [Fact]
    public void AnOptionWithoutItsValue_IsAUsageError_NamingTheOption()
    {
        var r = Verify("test", Self, "-i");

        Assert.Equal(ExitCode.Error, r.Code);
        Assert.Contains("'-i'", r.Err);
    }

    [Fact]
    public void TheUsage_AndTheUnknownCommandMessage_NameEveryCommand()
    {
        var usage = Verify("help");
        var unknown = Verify("frobnicate");

        Assert.Equal(ExitCode.Error, unknown.Code);
        foreach (Cli.CommandInfo c in Cli.Commands)
        {
            Assert.Contains("  verify " + c.Name, usage.Out);
            Assert.Contains(c.Name, unknown.Err);
        }
    }

    [Fact]
    public void EachCommandsHelp_ListsItsOptions_WithTheirValueNames()
    {
        foreach (Cli.CommandInfo c in Cli.Commands)
        {
            var r = Verify(c.Name, "--help");
            Assert.Equal(ExitCode.Success, r.Code);
            foreach (OptionSpec s in c.Specs)
            {
                Assert.Contains("--" + s.Name + (s.TakesValue ? " " + s.Value : string.Empty), r.Out);
            }
        }

        Assert.Contains("-o, --outdir DIR", Verify("test", "--help").Out);
    }

    [Fact]
    public void CheckHelp_GivesChecksOwnDefaults_NotTests()
    {
        string help = Verify("check", "--help").Out;

        Assert.Contains($"(default {Commands.CheckCommand.DefaultIterations})", help);
        Assert.Contains("run seed (default 0", help);
        Assert.DoesNotContain("default 100)", help);
        Assert.DoesNotContain("default: random", help);
    }

    [Theory]
    [InlineData("verify te", "test")]
    [InlineData("verify ver", "verdicts")]
    [InlineData("verify test --max-st", "--max-states")]
    [InlineData("verify replay --per", "--perfetto")]
    public void TheSuggestDirective_CompletesCommandsAndOptions(string line, string expected)
    {
        var r = Verify("[suggest]", line);

        Assert.Equal(ExitCode.Success, r.Code);
        Assert.Contains(expected, r.Out.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
    }
}
