namespace Verify.Logging;

/// <summary>How much a log line matters, as Coyote's loggers grade it.</summary>
public enum LogSeverity
{
    Debug,
    Info,
    Warning,
    Error,
    Important,
}
