using System.Globalization;

namespace Verify.Traces;

/// <summary>Reads the text written by <see cref="TraceWriter"/>; anything else is a <see cref="TraceFormatException"/>.</summary>
public static class TraceReader
{
    public static Trace ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new TraceFormatException($"{path}: no such trace file.");
        }

        return Read(File.ReadAllText(path), path);
    }

    public static Trace Read(string text, string source = "trace")
    {
        string[] lines = text.Split('\n');
        if (lines.Length == 0 || !lines[0].TrimEnd('\r').StartsWith("# verify-trace ", StringComparison.Ordinal))
        {
            throw new TraceFormatException($"{source}:1: not a Verify trace (the first line must be '# verify-trace {Trace.FormatVersion}').");
        }

        string version = lines[0].TrimEnd('\r')["# verify-trace ".Length..].Trim();
        if (version != Trace.FormatVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new TraceFormatException($"{source}:1: trace format version {version} is not supported (this Verify reads version {Trace.FormatVersion}).");
        }

        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        var parameters = new List<KeyValuePair<string, string>>();
        var decisions = new List<Decision>();
        int? loopStart = null;
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            int n = i + 1;
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                string body = line[1..].Trim();
                int sp = body.IndexOf(' ');
                string key = sp < 0 ? body : body[..sp];
                string value = sp < 0 ? string.Empty : body[(sp + 1)..].Trim();
                if (key == "param")
                {
                    int eq = value.IndexOf('=');
                    if (eq <= 0 || eq == value.Length - 1 || value.Contains(' ', StringComparison.Ordinal))
                    {
                        throw new TraceFormatException($"{source}:{n}: a '# param' line gives NAME=VALUE, not '{value}'.");
                    }

                    parameters.Add(KeyValuePair.Create(value[..eq], value[(eq + 1)..]));
                }

                header[key] = value;
                continue;
            }

            if (line.Trim() == TraceWriter.LoopMarker)
            {
                if (loopStart is not null)
                {
                    throw new TraceFormatException($"{source}:{n}: a second '{TraceWriter.LoopMarker}' line; a lasso has one loop.");
                }

                loopStart = decisions.Count;
                continue;
            }

            decisions.Add(ParseDecision(line, $"{source}:{n}"));
        }

        if (loopStart == decisions.Count)
        {
            throw new TraceFormatException($"{source}: the '{TraceWriter.LoopMarker}' line has no decisions after it; a lasso's loop takes at least one step.");
        }

        if (!header.TryGetValue("test", out string? test) || test.Length == 0)
        {
            throw new TraceFormatException($"{source}: the header has no '# test' line naming the test to replay.");
        }

        if (header.TryGetValue("decisions", out string? count) && Int(count, source, "decisions") != decisions.Count)
        {
            throw new TraceFormatException(
                $"{source}: the header promises {count} decisions but the file has {decisions.Count}; it was truncated or edited.");
        }

        return new Trace
        {
            Test = test,
            Parameters = parameters,
            Strategy = header.GetValueOrDefault("strategy", "unknown"),
            Iteration = header.TryGetValue("iteration", out string? it) ? Int(it, source, "iteration") : 0,
            Seed = header.TryGetValue("seed", out string? seed) ? ULong(seed, source) : null,
            MaxSteps = header.TryGetValue("max-steps", out string? ms) ? Int(ms, source, "max-steps") : 0,
            Fair = header.TryGetValue("fair", out string? fair) && Bool(fair, source, "fair"),
            LivenessThreshold = header.TryGetValue("liveness-threshold", out string? lt) ? Int(lt, source, "liveness-threshold") : 0,
            FailOnMaxSteps = header.TryGetValue("fail-on-max-steps", out string? f) && Bool(f, source, "fail-on-max-steps"),
            TimeoutDelay = header.TryGetValue("timeout-delay", out string? td) ? Int(td, source, "timeout-delay") : 0,
            AtomicSharedObjects = header.GetValueOrDefault("shared-objects") == "atomic",
            Bug = header.GetValueOrDefault("bug"),
            Decisions = decisions,
            LoopStart = loopStart,
        };
    }

    private static Decision ParseDecision(string line, string where)
    {
        string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2)
        {
            switch (parts[0])
            {
                case "sched" when int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int id) && id > 0:
                    return new Decision(DecisionKind.Schedule, id, 0);
                case "bool" when parts[1] is "0" or "1":
                    return new Decision(DecisionKind.Boolean, parts[1] == "1" ? 1 : 0, 2);
                case "int":
                    string[] vb = parts[1].Split('/');
                    if (vb.Length == 2
                        && int.TryParse(vb[0], NumberStyles.None, CultureInfo.InvariantCulture, out int v)
                        && int.TryParse(vb[1], NumberStyles.None, CultureInfo.InvariantCulture, out int b)
                        && v < b)
                    {
                        return new Decision(DecisionKind.Integer, v, b);
                    }

                    break;
            }
        }

        throw new TraceFormatException(
            $"{where}: cannot read '{line}'; expected 'sched <operation id>', 'bool 0|1', 'int <value>/<bound>' or 'loop'.");
    }

    private static int Int(string s, string source, string key) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0
            ? v
            : throw new TraceFormatException($"{source}: header '{key}' should be a non-negative number, not '{s}'.");

    private static ulong ULong(string s, string source) =>
        ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)
            ? v
            : throw new TraceFormatException($"{source}: header 'seed' should be a non-negative number, not '{s}'.");

    private static bool Bool(string s, string source, string key) => s switch
    {
        "true" => true,
        "false" => false,
        _ => throw new TraceFormatException($"{source}: header '{key}' should be true or false, not '{s}'."),
    };
}
