using Verify.Traces;

namespace Verify.Harness;

/// <summary>Reads a trace file for `replay` and `minimize`: malformed, truncated or foreign files are input errors (exit 1), never divergences.</summary>
internal static class TraceFiles
{
    internal static Trace Read(string path)
    {
        Trace trace = TraceReader.ReadFile(path);

        // The writer ends every header with '# decisions N'; without it the file was cut inside its header.
        bool complete = File.ReadLines(path).Any(l => l.StartsWith("# decisions ", StringComparison.Ordinal));
        return complete
            ? trace
            : throw new TraceFormatException($"{path}: the header ends before its '# decisions' line; the file was truncated inside its header. Record it again with `verify test`.");
    }
}
