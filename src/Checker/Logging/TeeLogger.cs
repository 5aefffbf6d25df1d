namespace Verify.Logging;

/// <summary>A logger the test set, and the engine's own (the readable trace), both fed each line.</summary>
internal sealed class TeeLogger(ILogger user, ILogger engine) : ILogger
{
    public void Write(string value)
    {
        user.Write(value);
        engine.Write(value);
    }

    public void Write(string format, params object?[] args)
    {
        user.Write(format, args);
        engine.Write(format, args);
    }

    public void WriteLine(string value)
    {
        user.WriteLine(value);
        engine.WriteLine(value);
    }

    public void WriteLine(string format, params object?[] args)
    {
        user.WriteLine(format, args);
        engine.WriteLine(format, args);
    }

    public void Write(LogSeverity severity, string value)
    {
        user.Write(severity, value);
        engine.Write(value);
    }

    public void WriteLine(LogSeverity severity, string value)
    {
        user.WriteLine(severity, value);
        engine.WriteLine(value);
    }

    public void Write(LogSeverity severity, string format, params object?[] args)
    {
        user.Write(severity, format, args);
        engine.Write(format, args);
    }

    public void WriteLine(LogSeverity severity, string format, params object?[] args)
    {
        user.WriteLine(severity, format, args);
        engine.WriteLine(format, args);
    }
}
