using System.Globalization;

namespace Verify.Harness;

/// <summary>One option: its long name, short aliases, and whether it takes a value.</summary>
internal sealed record OptionSpec(string Name, string[] Aliases, bool TakesValue, string Help);

/// <summary>Parsed command-line options: positionals in order, and values by long name.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string?> values = new(StringComparer.Ordinal);

    private Options()
    {
    }

    internal List<string> Positionals { get; } = [];

    internal bool Has(string name) => values.ContainsKey(name);

    internal string? String(string name) => values.GetValueOrDefault(name);

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

    internal static Options Parse(IEnumerable<string> args, IReadOnlyList<OptionSpec> specs, string command)
    {
        var byAlias = new Dictionary<string, OptionSpec>(StringComparer.Ordinal);
        foreach (OptionSpec spec in specs)
        {
            byAlias["--" + spec.Name] = spec;
            foreach (string a in spec.Aliases)
            {
                byAlias[a] = spec;
            }
        }

        var o = new Options();
        using IEnumerator<string> it = args.GetEnumerator();
        while (it.MoveNext())
        {
            string arg = it.Current;
            if (arg.Length > 1 && arg[0] == '-' && !IsNumber(arg))
            {
                string key = arg;
                string? inline = null;
                int eq = arg.IndexOf('=');
                if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
                {
                    key = arg[..eq];
                    inline = arg[(eq + 1)..];
                }

                if (!byAlias.TryGetValue(key, out OptionSpec? spec))
                {
                    throw new UsageException($"Unknown option '{arg}' for `verify {command}`. Run `verify {command} --help` for the options.");
                }

                if (!spec.TakesValue)
                {
                    o.values[spec.Name] = null;
                    continue;
                }

                if (inline is null)
                {
                    if (!it.MoveNext())
                    {
                        throw new UsageException($"Option '{arg}' needs a value.");
                    }

                    inline = it.Current;
                }

                o.values[spec.Name] = inline;
            }
            else
            {
                o.Positionals.Add(arg);
            }
        }

        return o;
    }

    internal static string Describe(IReadOnlyList<OptionSpec> specs) =>
        string.Join("\n", specs.Select(s =>
        {
            string names = string.Join(", ", s.Aliases.Append("--" + s.Name)) + (s.TakesValue ? " N" : string.Empty);
            return $"  {names,-40} {s.Help}";
        }));

    private static bool IsNumber(string s) => s.Length > 1 && s[0] == '-' && char.IsDigit(s[1]);
}
