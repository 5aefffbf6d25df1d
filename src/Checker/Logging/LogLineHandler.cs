using System.Runtime.CompilerServices;

namespace Verify.Logging;

/// <summary>
/// Builds an interpolated log line only when its logger keeps lines (<see cref="ILogger.IsEnabled"/>):
/// a search runs with logging off, and a model that writes <c>Logger.WriteLine($"cpu{cpu}: {stmt}")</c>
/// at every step would otherwise format and drop a string each time, the expressions in the holes
/// included. With logging off no hole is evaluated.
/// </summary>
[InterpolatedStringHandler]
public ref struct LogLineHandler
{
    private DefaultInterpolatedStringHandler text;

    /// <summary>Starts a line for <paramref name="logger"/>; <paramref name="enabled"/> is false when it drops lines.</summary>
    public LogLineHandler(int literalLength, int formattedCount, ILogger logger, out bool enabled)
    {
        enabled = logger.IsEnabled;
        text = enabled ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => text.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => text.AppendFormatted(value, format);

    public void AppendFormatted<T>(T value, int alignment) => text.AppendFormatted(value, alignment);

    public void AppendFormatted<T>(T value, int alignment, string? format) => text.AppendFormatted(value, alignment, format);

    public void AppendFormatted(ReadOnlySpan<char> value) => text.AppendFormatted(value);

    public void AppendFormatted(string? value) => text.AppendFormatted(value);

    /// <summary>The line built (empty when the logger drops lines).</summary>
    public string ToStringAndClear() => text.ToStringAndClear();
}
