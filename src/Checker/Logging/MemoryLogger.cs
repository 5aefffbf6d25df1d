using System.Text;

namespace Verify.Logging;

/// <summary>Keeps what is written; <see cref="ToString"/> returns it. For tests that assert on the log.</summary>
public sealed class MemoryLogger : ILogger
{
    private readonly StringBuilder text = new();

    public void Write(string value) => text.Append(value);

    public void Write(string format, params object?[] args) => text.AppendFormat(format, args);

    public void WriteLine(string value) => text.Append(value).Append('\n');

    public void WriteLine(string format, params object?[] args) => text.AppendFormat(format, args).Append('\n');

    public override string ToString() => text.ToString();
}
