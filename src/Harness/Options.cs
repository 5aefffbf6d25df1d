using System.Globalization;

namespace Verify.Harness;

/// <summary>
/// One option: its long name, short aliases, whether it takes a value, its help, and the name its
/// value has in help (N, DIR, FILE, ...).
/// </summary>
internal sealed record OptionSpec(string Name, string[] Aliases, bool TakesValue, string Help, string Value = "N");

/// <summary>Parsed command-line options: positionals in order, and values by long name.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string?> values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> repeated = new(StringComparer.Ordinal);

    private Options()
    {
    }

    internal List<string> Positionals { get; } = [];

    internal bool Has(string name) => values.ContainsKey(name);

    internal string? String(string name) => values.GetValueOrDefault(name);

    /// <summary>Every value an option was given, in order (for options that may repeat, like --param).</summary>
    internal IReadOnlyList<string> Strings(string name) => repeated.TryGetValue(name, out List<string>? all) ? all : [];

    internal int Int(string name, int fallback, int min = 0)
    {
        if (!values.TryGetValue(name, out string? s))
        {
            return fallback;
        }

        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min)
        {
            throw new UsageException($"--{name} needs a whole number of at least {min}, not '{s}'.");
        }

        return v;
    }

    internal long Long(string name, long fallback, long min = 0)
    {
        if (!values.TryGetValue(name, out string? s))
        {
            return fallback;
        }

        if (!long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) || v < min)
        {
            throw new UsageException($"--{name} needs a whole number of at least {min}, not '{s}'.");
        }

        return v;
    }

    /// <summary>Worker threads: at least 1 and at most the cores this process may use; more would only contend.</summary>
    internal int Parallel(int fallback)
    {
        int n = Int("parallel", fallback, 1);
        int cores = Environment.ProcessorCount;
        return n <= cores
            ? n
            : throw new UsageException($"--parallel {n} is more than the {cores} cores this process can use; give at most --parallel {cores}.");
    }

    /// <summary>The default memory bound of a stateful search: half the memory this process may use (the machine's, or its container's limit).</summary>
    internal static long DefaultMaxMemory => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;

    /// <summary>A size such as 512M, 4G or 1.5G (K, M, G, T: powers of 1024); a bare number is in megabytes.</summary>
    internal long Bytes(string name, long fallback)
    {
        if (!values.TryGetValue(name, out string? s) || s is null)
        {
            return fallback;
        }

        string t = s.Trim().ToUpperInvariant();
        long unit = 1024 * 1024;
        if (t.EndsWith('B'))
        {
            t = t[..^1];
        }

        if (t.Length > 0 && "KMGT".Contains(t[^1], StringComparison.Ordinal))
        {
            unit = t[^1] switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1L << 40 };
            t = t[..^1];
        }

        if (!double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double v) || v <= 0 || v * unit > long.MaxValue)
        {
            throw new UsageException($"--{name} needs a size such as 512M, 4G or 1.5G (a bare number is in megabytes), not '{s}'.");
        }

        return (long)(v * unit);
    }

    internal ulong? ULong(string name)
    {
        if (!values.TryGetValue(name, out string? s))
        {
            return null;
        }

        return ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)
            ? v
            : throw new UsageException($"--{name} needs a non-negative whole number, not '{s}'.");
    }

    /// <summary>
    /// Parses a command's arguments with System.CommandLine against the command's options (see
    /// <see cref="CommandLineDefinition"/>): `--name value`, `--name=value` and `--name:value`,
    /// repeated options in order, and `@file` response files (one argument per line).
    /// </summary>
    internal static Options Parse(IEnumerable<string> args, IReadOnlyList<OptionSpec> specs, string command)
    {
        CommandLineDefinition.Parsed parsed = CommandLineDefinition.For(command, specs).Parse([.. args]);
        var o = new Options();
        foreach ((OptionSpec spec, IReadOnlyList<string>? given) in parsed.Options)
        {
            if (!spec.TakesValue)
            {
                o.values[spec.Name] = null;
                continue;
            }

            o.values[spec.Name] = given![^1];
            o.repeated[spec.Name] = [.. given];
        }

        foreach (string arg in parsed.Positionals)
        {
            if (arg.Length > 1 && arg[0] == '-' && !IsNumber(arg))
            {
                throw new UsageException($"Unknown option '{arg}' for `verify {command}`. Run `verify {command} --help` for the options.");
            }

            o.Positionals.Add(arg);
        }

        return o;
    }

    internal static string Describe(IReadOnlyList<OptionSpec> specs) =>
        string.Join("\n", specs.Select(s =>
        {
            string names = string.Join(", ", s.Aliases.Append("--" + s.Name)) + (s.TakesValue ? " " + s.Value : string.Empty);
            return $"  {names,-40} {s.Help}";
        }));

    internal static bool IsNumber(string s) => s.Length > 1 && s[0] == '-' && char.IsDigit(s[1]);
}
