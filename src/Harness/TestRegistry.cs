using System.Reflection;

namespace Verify.Harness;

/// <summary>Finds tests: the built-in scenarios, or the [Test] methods of an assembly given by path.</summary>
internal static class TestRegistry
{
    /// <summary>Assemblies whose [Test] methods are built-in scenarios: the protocol models and the benchmark's reference models.</summary>
    internal static IReadOnlyList<Assembly> BuiltInAssemblies =>
        [Assembly.Load("Verify.Protocols"), typeof(TestRegistry).Assembly];

    /// <summary>
    /// The built-in scenarios, discovered once a process: discovery runs every [TestSource] of the
    /// protocols (about 0.1 s, where replaying a trace takes a few milliseconds). A test's entry
    /// builds its model afresh at each call, so one list serves every run of the process.
    /// </summary>
    internal static IReadOnlyList<TestCase> BuiltIn() => BuiltInTests.Value;

    private static readonly Lazy<IReadOnlyList<TestCase>> BuiltInTests = new(() => BuiltInAssemblies.SelectMany(TestCase.Discover).ToList().AsReadOnly());

    /// <summary>Tests of <paramref name="target"/>: a .dll path, or else the built-in scenarios.</summary>
    internal static IReadOnlyList<TestCase> From(string? target, out string source)
    {
        if (target is not null && IsAssemblyPath(target))
        {
            string path = Path.GetFullPath(target);
            if (!File.Exists(path))
            {
                throw new UsageException($"{target}: no such assembly. Build the test project first (dotnet build), then pass its .dll.");
            }

            Assembly asm;
            try
            {
                asm = Assembly.LoadFrom(path);
            }
            catch (BadImageFormatException)
            {
                throw new UsageException($"{target}: not a .NET assembly.");
            }

            source = path;
            return TestCase.Discover(asm);
        }

        source = "built-in scenarios";
        return BuiltIn();
    }

    internal static bool IsAssemblyPath(string s) =>
        s.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || s.EndsWith(".exe", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Picks one test. <paramref name="query"/> matches a full name exactly, or a trailing part of it at a
    /// dot (<c>PingPong</c>, <c>PingPong.Execute</c>); with no query the set must hold exactly one test.
    /// </summary>
    internal static TestCase Select(IReadOnlyList<TestCase> tests, string? query, string source)
    {
        if (tests.Count == 0)
        {
            throw new UsageException($"{source} has no [Test] method.");
        }

        if (query is null)
        {
            return tests.Count == 1
                ? tests[0]
                : throw new UsageException($"{source} has {tests.Count} tests; choose one with -m NAME:\n  " + string.Join("\n  ", tests.Select(t => t.FullName)));
        }

        var exact = tests.Where(t => t.FullName == query).ToList();
        if (exact.Count == 1)
        {
            return exact[0];
        }

        var matches = tests.Where(t => Matches(t.FullName, query)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new UsageException($"No test named '{query}' in {source}. Run `verify list` to see the names."),
            _ => throw new UsageException($"'{query}' names {matches.Count} tests in {source}; give more of the name:\n  " + string.Join("\n  ", matches.Select(t => t.FullName))),
        };
    }

    /// <summary>A protocol scenario named with its protocol: <c>KvmRcu.C.GuestHlt.NoRcucWakeupEnteringIdle</c>.</summary>
    private static bool ProtocolQualified(string fullName, string query) =>
        Protocols.Protocol.All.Any(p =>
            query.StartsWith(p.Name + ".", StringComparison.Ordinal)
            && fullName.Contains("." + p.Name + ".", StringComparison.Ordinal)
            && fullName.EndsWith(query[p.Name.Length..], StringComparison.Ordinal));

    private static bool Matches(string fullName, string query)
    {
        string typeName = fullName[..fullName.LastIndexOf('.')];
        return fullName.EndsWith("." + query, StringComparison.Ordinal)
            || ProtocolQualified(fullName, query)
            || typeName == query
            || typeName.EndsWith("." + query, StringComparison.Ordinal);
    }
}

/// <summary>A command-line or input mistake: printed as is, exit code 1.</summary>
internal sealed class UsageException(string message) : Exception(message);
