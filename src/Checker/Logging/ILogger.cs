using System.Runtime.CompilerServices;
using System.Text;

namespace Verify.Logging;

/// <summary>Where models write free-form log lines; they appear in the readable trace with -v or on replay.</summary>
public interface ILogger
{
    /// <summary>False when lines are dropped: an interpolated line is then not even formatted.</summary>
    bool IsEnabled => true;

    void Write(string value);

    void Write(string format, params object?[] args);

    void WriteLine(string value);

    void WriteLine(string format, params object?[] args);

    /// <summary>An interpolated line, formatted only when <see cref="IsEnabled"/> (searches run with logging off).</summary>
    void WriteLine([InterpolatedStringHandlerArgument("")] ref LogLine line)
    {
        if (line.Enabled)
        {
            WriteLine(line.ToStringAndClear());
        }
    }
}

/// <summary>Builds an interpolated log line, or skips every part of it when the logger drops lines.</summary>
[InterpolatedStringHandler]
public ref struct LogLine
{
    private StringBuilder? text;

    public LogLine(int literalLength, int formattedCount, ILogger logger, out bool enabled)
    {
        enabled = logger.IsEnabled;
        text = enabled ? new StringBuilder(literalLength + (formattedCount * 8)) : null;
    }

    internal readonly bool Enabled => text is not null;

    public readonly void AppendLiteral(string value) => text!.Append(value);

    public readonly void AppendFormatted<T>(T value) => text!.Append(value);

    public readonly void AppendFormatted<T>(T value, string? format)
    {
        if (value is IFormattable f)
        {
            text!.Append(f.ToString(format, System.Globalization.CultureInfo.CurrentCulture));
        }
        else
        {
            text!.Append(value);
        }
    }

    internal string ToStringAndClear()
    {
        string s = text!.ToString();
        text = null;
        return s;
    }
}

/// <summary>Collects model log lines, or drops them when logging is off.</summary>
internal sealed class ModelLogger : ILogger
{
    private readonly Action<string>? sink;
    private string pending = string.Empty;

    internal ModelLogger(Action<string>? sink) => this.sink = sink;

    internal static ModelLogger Null { get; } = new(null);

    public bool IsEnabled => sink is not null;

    public void Write(string value)
    {
        if (sink is not null)
        {
            pending += value;
        }
    }

    public void Write(string format, params object?[] args)
    {
        if (sink is not null)
        {
            pending += string.Format(format, args);
        }
    }

    public void WriteLine(string value)
    {
        if (sink is not null)
        {
            sink(pending + value);
            pending = string.Empty;
        }
    }

    public void WriteLine(string format, params object?[] args)
    {
        if (sink is not null)
        {
            WriteLine(string.Format(format, args));
        }
    }
}
