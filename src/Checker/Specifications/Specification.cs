using Verify.Runtime;

namespace Verify.Specifications;

/// <summary>Assertions and monitor notifications callable from any model code running under the engine.</summary>
public static class Specification
{
    public static void Assert(bool predicate)
    {
        if (!predicate)
        {
            ActorRuntime.RequireCurrent().ReportAssertionFailure("Detected an assertion failure.");
        }
    }

    public static void Assert(bool predicate, string s, params object?[] args)
    {
        if (!predicate)
        {
            ActorRuntime.RequireCurrent().ReportAssertionFailure(string.Format(s, args));
        }
    }

    public static void Monitor<T>(Monitor.Event e) => ActorRuntime.RequireCurrent().Monitor(typeof(T), e);

    public static void RegisterMonitor<T>()
        where T : Monitor => ActorRuntime.RequireCurrent().RegisterMonitor<T>();
}
