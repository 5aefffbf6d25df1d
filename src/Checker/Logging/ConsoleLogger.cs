namespace Verify.Logging;

/// <summary>Writes to the console; lines of severity Error and above go to standard error.</summary>
public sealed class ConsoleLogger : ILogger
{
    public void Write(string value) => Console.Write(value);

    public void Write(string format, params object?[] args) => Console.Write(format, args);

    public void WriteLine(string value) => Console.WriteLine(value);

    public void WriteLine(string format, params object?[] args) => Console.WriteLine(format, args);

    public void Write(LogSeverity severity, string value) => Out(severity).Write(value);

    public void WriteLine(LogSeverity severity, string value) => Out(severity).WriteLine(value);

    public void Write(LogSeverity severity, string format, params object?[] args) => Out(severity).Write(format, args);

    public void WriteLine(LogSeverity severity, string format, params object?[] args) => Out(severity).WriteLine(format, args);

    private static TextWriter Out(LogSeverity severity) => severity >= LogSeverity.Error ? Console.Error : Console.Out;
}
