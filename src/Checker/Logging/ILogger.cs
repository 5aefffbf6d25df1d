using System.Runtime.CompilerServices;

namespace Verify.Logging;

/// <summary>Where models write free-form log lines; they appear in the readable trace with -v or on replay.</summary>
public interface ILogger
{
    void Write(string value);

    void Write(string format, params object?[] args);

    void WriteLine(string value);

    void WriteLine(string format, params object?[] args);

    /// <summary>Coyote's severity overloads; by default the severity is dropped and the text written as is.</summary>
    void Write(LogSeverity severity, string value) => Write(value);

    void Write(LogSeverity severity, string format, params object?[] args) => Write(format, args);

    void WriteLine(LogSeverity severity, string value) => WriteLine(value);

    void WriteLine(LogSeverity severity, string format, params object?[] args) => WriteLine(format, args);

    /// <summary>Whether lines written here are kept; false lets an interpolated line skip its formatting (<see cref="LogLineHandler"/>).</summary>
    bool IsEnabled => true;

    /// <summary>An interpolated line, formatted only when <see cref="IsEnabled"/>.</summary>
    void Write([InterpolatedStringHandlerArgument("")] ref LogLineHandler value)
    {
        if (IsEnabled)
        {
            Write(value.ToStringAndClear());
        }
    }

    /// <summary>An interpolated line, formatted only when <see cref="IsEnabled"/>.</summary>
    void WriteLine([InterpolatedStringHandlerArgument("")] ref LogLineHandler value)
    {
        if (IsEnabled)
        {
            WriteLine(value.ToStringAndClear());
        }
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
