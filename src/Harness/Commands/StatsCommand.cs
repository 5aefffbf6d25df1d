using Verify.Protocols;
using Verify.SystematicTesting;

namespace Verify.Harness.Commands;

/// <summary>
/// `verify stats &lt;protocol&gt;`: the protocol's statistics campaign (many random runs that count
/// instead of failing), printed as tables and optionally written as its Markdown document.
/// </summary>
internal static class StatsCommand
{
    internal static readonly IReadOnlyList<OptionSpec> Specs =
    [
        new("runs", ["-i"], true, $"random runs per configuration (default: the protocol's; {Defaults(d => d.Runs)})", "RUNS"),
        new("seed", [], true, $"run seed (default: the protocol's; {Defaults(d => d.Seed)})"),
        new("ticks", [], true, $"jiffies per run (default: the protocol's; {Defaults(d => d.Ticks)})"),
        new("set", [], true, "NAME=VALUE: one of the protocol's statistics settings (repeatable; --settings lists them); the document's header names it", "NAME=VALUE"),
        new("settings", [], false, "list the protocol's statistics settings (name, range, what it sets and its default) and exit"),
        new("out", ["-o"], true, "also write the document as Markdown to this file", "FILE"),
        new("outdir", [], true, "where the trace of a run that stopped on a model error goes (default verify-out)", "DIR"),
        TestCommand.Help,
    ];

    internal static readonly string UsageLine =
        "Usage: verify stats <protocol> [-i RUNS] [--seed N] [--ticks N] [--set NAME=VALUE ...] [--settings] [-o FILE]   (protocols: "
        + string.Join(", ", Protocol.All.Where(p => p.StatisticsDefaults is not null).Select(p => p.Slug)) + ")";

    /// <summary>Each protocol's default for one parameter, for the help text: "kvm-rcu: 300".</summary>
    private static string Defaults(Func<Protocol.StatisticsOptions, object> pick) =>
        string.Join(", ", Protocol.All.Where(p => p.StatisticsDefaults is not null).Select(p => $"{p.Slug}: {pick(p.StatisticsDefaults!)}"));

    internal static ExitCode Run(string[] args, TextWriter stdout) => Run(args, stdout, Protocol.All);

    /// <summary>The --set NAME=VALUE options, checked against the protocol's settings: known names, each once, whole numbers in range; null when none.</summary>
    internal static IReadOnlyList<KeyValuePair<string, int>>? Settings(Protocol protocol, IReadOnlyList<string> raw)
    {
        if (raw.Count == 0)
        {
            return null;
        }

        var known = protocol.StatisticsSettings.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var given = new List<KeyValuePair<string, int>>();
        foreach (string s in raw)
        {
            int eq = s.IndexOf('=');
            if (eq <= 0 || eq == s.Length - 1)
            {
                throw new UsageException($"--set needs NAME=VALUE, not '{s}'. `verify stats {protocol.Slug} --settings` lists the settings.");
            }

            string name = s[..eq];
            if (!known.TryGetValue(name, out Protocol.StatisticsSetting? setting))
            {
                throw new UsageException(known.Count == 0
                    ? $"{protocol.Slug} has no statistics settings; --set {s} does not apply."
                    : $"{protocol.Slug} has no statistics setting '{name}'; it has {string.Join(", ", known.Keys)} (`verify stats {protocol.Slug} --settings`).");
            }

            if (!int.TryParse(s[(eq + 1)..], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value) || value < setting.Min || value > setting.Max)
            {
                throw new UsageException($"--set {name} needs a whole number from {setting.Min} to {setting.Max}, not '{s[(eq + 1)..]}'.");
            }

            if (given.Any(g => g.Key == name))
            {
                throw new UsageException($"--set {name} is given twice.");
            }

            given.Add(KeyValuePair.Create(name, value));
        }

        return given;
    }

    private static void ListSettings(Protocol protocol, TextWriter stdout)
    {
        if (protocol.StatisticsSettings.Count == 0)
        {
            stdout.WriteLine($"{protocol.Slug} has no statistics settings.");
            return;
        }

        stdout.WriteLine($"Statistics settings of {protocol.Slug} (`verify stats {protocol.Slug} --set NAME=VALUE`):");
        foreach (Protocol.StatisticsSetting s in protocol.StatisticsSettings)
        {
            stdout.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"  {s.Name} ({s.Min}..{s.Max}): {s.Help}"));
        }
    }

    /// <summary>The live line of `verify stats`: the runs done by every campaign so far, their rate and the time.</summary>
    internal static string Line(long runs, TimeSpan elapsed) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{runs:N0} runs, {runs / Math.Max(elapsed.TotalSeconds, 1e-3):N0}/s, {elapsed.TotalSeconds:F0} s");

    internal static ExitCode Run(string[] args, TextWriter stdout, IReadOnlyList<Protocol> protocols)
    {
        Options o = Options.Parse(args, Specs, "stats");
        if (Cli.WantsHelp(o, stdout, UsageLine, Specs))
        {
            return ExitCode.Success;
        }

        if (o.Positionals.Count != 1)
        {
            throw new UsageException($"`verify stats` takes one protocol. {UsageLine}");
        }

        Protocol protocol = ProtocolLookup.Find(protocols, o.Positionals[0], "stats", p => p.StatisticsDefaults is not null);
        Protocol.StatisticsOptions defaults = protocol.StatisticsDefaults!;
        if (o.Has("settings"))
        {
            ListSettings(protocol, stdout);
            return ExitCode.Success;
        }

        var options = new Protocol.StatisticsOptions(o.Int("runs", defaults.Runs, 1), o.ULong("seed") ?? defaults.Seed, o.Int("ticks", defaults.Ticks, 1), Settings(protocol, o.Strings("set")));
        string? file = o.String("out");
        if (file is not null && Directory.Exists(file))
        {
            throw new UsageException($"-o {file} is a directory; give the Markdown file to write, e.g. docs/{protocol.Slug}-statistics.md.");
        }

        if (file is not null)
        {
            OutputPaths.WritableFile(file, "-o");
        }

        if (o.String("outdir") is string outDir)
        {
            OutputPaths.WritableDirectory(outDir, "--outdir");
        }

        string doc;
        try
        {
            Progress? live = Progress.ForTerminal(stdout);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            long before = TestingEngine.ProgressInProcess;
            using (live?.Every(() => Line(TestingEngine.ProgressInProcess - before, clock.Elapsed)))
            {
                doc = protocol.WriteStatistics(options, live?.Above() ?? stdout);
            }
        }
        catch (Protocol.RunStoppedException stopped) when (stopped.Engine.TestReport.Interrupted && stopped.Engine.TestReport.Bug is null && stopped.Engine.TestReport.Error is null)
        {
            stdout.WriteLine($"verify: interrupted by {Signals.Name} in {stopped.Engine.TestName} after {stopped.Engine.TestReport.Iterations} runs: the statistics need every run, so `{protocol.StatisticsCommand(options)}` wrote no document.");
            return Signals.Code;
        }
        catch (Protocol.RunStoppedException stopped)
        {
            stdout.WriteLine($"verify: {ModelError.Describe(stopped.Engine, o.String("outdir") ?? "verify-out", replayable: false)}");
            stdout.WriteLine($"verify: the statistics need every run to finish, so `{protocol.StatisticsCommand(options)}` wrote no document.");
            return ExitCode.Error;
        }

        if (file is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            File.WriteAllText(file, doc);
            stdout.WriteLine($"Wrote {file}");
        }

        return ExitCode.Success;
    }
}
