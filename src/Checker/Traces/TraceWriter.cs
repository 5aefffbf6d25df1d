using System.Globalization;
using System.Text;

namespace Verify.Traces;

/// <summary>Writes a trace as text: <c># key value</c> header lines, then one decision per line.</summary>
public static class TraceWriter
{
    /// <summary>The line before the first decision of a lasso's loop (see <see cref="Trace.LoopStart"/>).</summary>
    public const string LoopMarker = "loop";

    public static string Write(Trace trace)
    {
        var sb = new StringBuilder();
        sb.Append("# verify-trace ").Append(Trace.FormatVersion).Append('\n');
        Header(sb, "test", trace.Test);
        foreach ((string name, string value) in trace.Parameters)
        {
            Header(sb, "param", name + "=" + value);
        }

        Header(sb, "strategy", trace.Strategy);
        Header(sb, "iteration", trace.Iteration.ToString(CultureInfo.InvariantCulture));
        if (trace.Seed is ulong seed)
        {
            // A stateful search draws nothing at random: its traces have no seed, so two identical searches write identical files.
            Header(sb, "seed", seed.ToString(CultureInfo.InvariantCulture));
        }

        Header(sb, "max-steps", trace.MaxSteps.ToString(CultureInfo.InvariantCulture));
        Header(sb, "fair", trace.Fair ? "true" : "false");
        Header(sb, "liveness-threshold", trace.LivenessThreshold.ToString(CultureInfo.InvariantCulture));
        Header(sb, "fail-on-max-steps", trace.FailOnMaxSteps ? "true" : "false");
        if (trace.TimeoutDelay > 0)
        {
            // Written only when set, so traces of models without timers read as before.
            Header(sb, "timeout-delay", trace.TimeoutDelay.ToString(CultureInfo.InvariantCulture));
        }

        if (trace.AtomicSharedObjects)
        {
            Header(sb, "shared-objects", "atomic");
        }

        if (trace.Bug is not null)
        {
            Header(sb, "bug", trace.Bug.ReplaceLineEndings(" "));
        }

        Header(sb, "decisions", trace.Decisions.Count.ToString(CultureInfo.InvariantCulture));
        for (int i = 0; i < trace.Decisions.Count; i++)
        {
            if (i == trace.LoopStart)
            {
                sb.Append(LoopMarker).Append('\n');
            }

            sb.Append(trace.Decisions[i].ToString()).Append('\n');
        }

        return sb.ToString();
    }

    public static void WriteFile(string path, Trace trace) => File.WriteAllText(path, Write(trace));

    private static void Header(StringBuilder sb, string key, string value) =>
        sb.Append("# ").Append(key.PadRight(19)).Append(value).Append('\n');
}
