using Verify.Harness.Commands;

namespace Verify.Harness;

/// <summary>The `verify` command line: dispatches to a command and maps every failure to an exit code.</summary>
internal static class Cli
{
    internal const string Summary = "Verify: a systematic concurrency tester for Coyote-style actor models of kernel protocols.";

    /// <summary>A command: its name, what it does, its options and usage line (each command's own), and its entry point.</summary>
    internal sealed record CommandInfo(string Name, string Description, string UsageLine, IReadOnlyList<OptionSpec> Specs, Func<string[], TextWriter, ExitCode> Run);

    /// <summary>Every command, in the order help lists them: the one place the usage, the unknown-command message and shell completion read.</summary>
    internal static IReadOnlyList<CommandInfo> Commands { get; } =
    [
        new("test", "explore schedules and report the first bug", TestCommand.UsageLine, TestCommand.Specs, TestCommand.Run),
        new("replay", "rerun a trace; says where it diverges", ReplayCommand.UsageLine, ReplayCommand.Specs, ReplayCommand.Run),
        new("minimize", "shrink a buggy trace: fewer steps and switches, same bug", MinimizeCommand.UsageLine, MinimizeCommand.Specs, MinimizeCommand.Run),
        new("merge", "combine the reports of `verify test --shard I/N` runs", MergeCommand.UsageLine, MergeCommand.Specs, MergeCommand.Run),
        new("list", "list the tests (default: built-in scenarios), or a scenario's --param parameters", ListCommand.UsageLine, ListCommand.Specs, ListCommand.Run),
        new("check", "run every built-in scenario; print a verdict table", CheckCommand.UsageLine, CheckCommand.Specs, CheckCommand.Run),
        new("bench", "measure decisions/s, iterations/s and states/s", BenchCommand.UsageLine, BenchCommand.Specs, BenchCommand.Run),
        new("verdicts", "variant x scenario x property table (Markdown) with traces", VerdictsCommand.UsageLine, VerdictsCommand.Specs, VerdictsCommand.Run),
        new("stats", "a protocol's statistics tables (Markdown)", StatsCommand.UsageLine, StatsCommand.Specs, StatsCommand.Run),
        new("litmus", "the memory-model litmus tests under each memory mode (Markdown)", LitmusCommand.UsageLine, LitmusCommand.Specs, LitmusCommand.Run),
    ];

    internal static CommandInfo? Find(string name) => Commands.FirstOrDefault(c => c.Name == name);

    internal static string Usage =>
        Summary + "\n\nUsage:\n"
        + string.Concat(Commands.Select(c => $"  {c.UsageLine["Usage: ".Length..]}\n      {c.Description}\n"))
        + """

        Arguments may also come from a response file: `verify test @args.rsp` reads one argument per
        line. Shell completion: `dotnet tool install -g dotnet-suggest`, then register `verify` as
        dotnet-suggest's documentation says; `verify [suggest] "verify te"` prints the completions.

        Exit codes: 0 no bug, 1 usage or input error, or a scenario could not run (a model
                    exception in check, verdicts or stats), 2 bug found / reproduced,
                    3 checker bug, 4 replay diverged, 5 a step did not return (the watchdog
                    reported it past -t or a signal, and ended the process), 130/143 stopped
                    by SIGINT/SIGTERM (summary and report written) with nothing found so far.
        Run `verify <command> --help` for a command's options.
        """;

    internal static ExitCode Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0)
        {
            stderr.WriteLine(Usage);
            return ExitCode.Error;
        }

        string command = args[0];
        string[] rest = args[1..];
        try
        {
            if (command.StartsWith("[suggest", StringComparison.Ordinal))
            {
                foreach (string completion in CommandLineDefinition.Complete(rest.Length > 0 ? rest[^1] : string.Empty))
                {
                    stdout.WriteLine(completion);
                }

                return ExitCode.Success;
            }

            if (command is "help" or "--help" or "-h" or "-?")
            {
                return Help(stdout);
            }

            return Find(command) is CommandInfo info
                ? info.Run(rest, stdout)
                : throw new UsageException($"Unknown command '{command}'. Commands: {string.Join(", ", Commands.Select(c => c.Name))}.");
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"verify: {ex.Message}");
            return ExitCode.Error;
        }
        catch (ModelDefinitionException ex)
        {
            stderr.WriteLine($"verify: the model is malformed: {ex.Message}");
            return ExitCode.Error;
        }
        catch (Traces.TraceFormatException ex)
        {
            stderr.WriteLine($"verify: {ex.Message}");
            return ExitCode.Error;
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"verify: checker bug: {ex.GetType().Name}: {ex.Message}; please attach the trace and this output.");
            stderr.WriteLine(ex.StackTrace);
            return ExitCode.InternalError;
        }
    }

    private static ExitCode Help(TextWriter stdout)
    {
        stdout.WriteLine(Usage);
        return ExitCode.Success;
    }

    /// <summary>Prints a command's help when asked; true if it did.</summary>
    internal static bool WantsHelp(Options o, TextWriter stdout, string usage, IReadOnlyList<OptionSpec> specs)
    {
        if (!o.Has("help"))
        {
            return false;
        }

        stdout.WriteLine(usage);
        stdout.WriteLine();
        stdout.WriteLine("Options:");
        stdout.WriteLine(Options.Describe(specs));
        return true;
    }
}
