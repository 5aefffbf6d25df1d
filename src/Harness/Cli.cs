using Verify.Harness.Commands;

namespace Verify.Harness;

/// <summary>The `verify` command line: dispatches to a command and maps every failure to an exit code.</summary>
internal static class Cli
{
    internal const string Usage = """
        Verify: a systematic concurrency tester for Coyote-style actor models of kernel protocols.

        Usage:
          verify test <assembly.dll|scenario> [options]    explore schedules and report the first bug
          verify replay [<assembly.dll|scenario>] <file.trace> [--log] [--timeline] [--html FILE] [--perfetto FILE.json]
                                                           rerun a trace; says where it diverges
          verify minimize [<assembly.dll|scenario>] <file.trace> [-o DIR] [--budget N]
                                                           shrink a buggy trace: fewer steps and switches, same bug
          verify merge <report.json...> [-o DIR]           combine the reports of `verify test --shard I/N` runs
          verify list [assembly.dll]                       list the tests (default: built-in scenarios)
          verify list --params <scenario>                  a protocol scenario's --param NAME=VALUE parameters
          verify check [options]                           run every built-in scenario; print a verdict table
          verify bench [--seconds N] [--parallel N]        measure decisions/s and iterations/s
          verify verdicts <protocol> [-i N]                variant x scenario x property table (Markdown) with traces
          verify stats <protocol> [-i RUNS]                the protocol's statistics tables (Markdown)

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
            return command switch
            {
                "test" => TestCommand.Run(rest, stdout),
                "replay" => ReplayCommand.Run(rest, stdout),
                "minimize" => MinimizeCommand.Run(rest, stdout),
                "list" => ListCommand.Run(rest, stdout),
                "check" => CheckCommand.Run(rest, stdout),
                "bench" => BenchCommand.Run(rest, stdout),
                "merge" => MergeCommand.Run(rest, stdout),
                "verdicts" => VerdictsCommand.Run(rest, stdout),
                "stats" => StatsCommand.Run(rest, stdout),
                "litmus" => LitmusCommand.Run(rest, stdout),
                "help" or "--help" or "-h" or "-?" => Help(stdout),
                _ => throw new UsageException($"Unknown command '{command}'. Commands: test, replay, minimize, merge, list, check, bench, verdicts, stats."),
            };
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
