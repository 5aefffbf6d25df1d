using System.Reflection;
using Verify.Actors;
using Verify.SystematicTesting;

namespace Verify.Harness;

/// <summary>A [Test] method with the [TestInit]/[TestDispose]/[TestIterationDispose] methods of its class.</summary>
internal sealed class TestCase
{
    private TestCase(MethodInfo method)
        : this(method.DeclaringType!, method.Name, Bind(method))
    {
    }

    private TestCase(Type type, string name, Func<IActorRuntime, Task?> entry)
    {
        FullName = $"{type.FullName!.Replace('+', '.')}.{name}";
        Namespace = type.Namespace ?? string.Empty;
        Entry = entry;
        Init = Find<TestInitAttribute>(type);
        Dispose = Find<TestDisposeAttribute>(type);
        IterationDispose = Find<TestIterationDisposeAttribute>(type);
    }

    private TestCase(TestCase source, Func<IActorRuntime, Task?> entry, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        FullName = source.FullName;
        Namespace = source.Namespace;
        Entry = entry;
        Init = source.Init;
        Dispose = source.Dispose;
        IterationDispose = source.IterationDispose;
        Parameters = parameters;
    }

    /// <summary>The <c>--param</c> values this test runs with (see <see cref="ScenarioParams"/>); none for its defaults.</summary>
    internal IReadOnlyList<KeyValuePair<string, string>> Parameters { get; } = [];

    /// <summary>This test with another body: the scenario built with <paramref name="parameters"/>.</summary>
    internal TestCase WithParameters(Func<IActorRuntime, Task?> entry, IReadOnlyList<KeyValuePair<string, string>> parameters) => new(this, entry, parameters);

    /// <summary><c>Namespace.Class.Method</c>; traces name their test with it.</summary>
    internal string FullName { get; }

    /// <summary>The namespace of the declaring type; <see cref="FullName"/> starts with it.</summary>
    internal string Namespace { get; }

    /// <summary><see cref="FullName"/> without the namespace: <c>Class.Method</c>.</summary>
    internal string ShortName => Namespace.Length == 0 ? FullName : FullName[(Namespace.Length + 1)..];

    /// <summary>
    /// The step bound the test's protocol samples it with (<see cref="Verify.Protocols.Protocol.SampleStepBound"/>)
    /// when it is a protocol's <c>Variant.Scenario.Property</c> cell; null for the engine's.
    /// </summary>
    internal int? ProtocolStepBound
    {
        get
        {
            string[] parts = FullName.Split('.');
            return parts.Length < 3 ? null
                : Verify.Protocols.Protocol.All.FirstOrDefault(p => FullName.Contains("." + p.Name + ".", StringComparison.Ordinal))?.SampleStepBound(string.Join('.', parts[^3..]), Parameters);
        }
    }

    internal Func<IActorRuntime, Task?> Entry { get; }

    internal Action? Init { get; }

    internal Action? Dispose { get; }

    internal Action? IterationDispose { get; }

    /// <summary>The [Test] methods of an assembly, in name order; a malformed one is a ModelDefinitionException.</summary>
    internal static IReadOnlyList<TestCase> Discover(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            types = ex.Types.OfType<Type>().ToArray();
        }

        const BindingFlags statics = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        IEnumerable<TestCase> methods = types
            .SelectMany(t => t.GetMethods(statics))
            .Where(m => m.GetCustomAttribute<TestAttribute>() is not null)
            .Select(m => new TestCase(m));
        IEnumerable<TestCase> sources = types
            .SelectMany(t => t.GetMembers(statics))
            .Where(m => m.GetCustomAttribute<TestSourceAttribute>() is not null)
            .SelectMany(Expand);
        return methods.Concat(sources).OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();
    }

    /// <summary>The tests a [TestSource] member yields, each named after the member's class plus its own name.</summary>
    private static IEnumerable<TestCase> Expand(MemberInfo member)
    {
        object? value = member switch
        {
            PropertyInfo p when p.GetIndexParameters().Length == 0 => p.GetValue(null),
            MethodInfo m when m.GetParameters().Length == 0 => m.Invoke(null, null),
            _ => null,
        };
        if (value is not IEnumerable<TestCaseSource> cases)
        {
            throw new ModelDefinitionException(
                $"[TestSource] {member.DeclaringType?.Name}.{member.Name} must be a static property or parameterless method returning IEnumerable<TestCaseSource>.");
        }

        foreach (TestCaseSource c in cases)
        {
            Action<IActorRuntime> test = c.Test;
            yield return new TestCase(member.DeclaringType!, c.Name, r =>
            {
                test(r);
                return null;
            });
        }
    }

    private static Func<IActorRuntime, Task?> Bind(MethodInfo m)
    {
        ParameterInfo[] ps = m.GetParameters();
        bool takesRuntime = ps.Length == 1 && ps[0].ParameterType == typeof(IActorRuntime);
        if (ps.Length > 1 || (ps.Length == 1 && !takesRuntime))
        {
            throw new ModelDefinitionException($"[Test] {m.DeclaringType?.Name}.{m.Name} must take no parameter or one IActorRuntime.");
        }

        if (m.ReturnType == typeof(void))
        {
            if (takesRuntime)
            {
                var d = m.CreateDelegate<Action<IActorRuntime>>();
                return r =>
                {
                    d(r);
                    return null;
                };
            }

            var d0 = m.CreateDelegate<Action>();
            return _ =>
            {
                d0();
                return null;
            };
        }

        if (m.ReturnType == typeof(Task))
        {
            if (takesRuntime)
            {
                var d = m.CreateDelegate<Func<IActorRuntime, Task>>();
                return r => d(r);
            }

            var d0 = m.CreateDelegate<Func<Task>>();
            return _ => d0();
        }

        throw new ModelDefinitionException($"[Test] {m.DeclaringType?.Name}.{m.Name} must return void or Task.");
    }

    private static Action? Find<TAttr>(Type type)
        where TAttr : Attribute
    {
        MethodInfo? m = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .FirstOrDefault(x => x.GetCustomAttribute<TAttr>() is not null);
        if (m is null)
        {
            return null;
        }

        if (m.GetParameters().Length != 0 || m.ReturnType != typeof(void))
        {
            throw new ModelDefinitionException($"[{typeof(TAttr).Name.Replace("Attribute", string.Empty)}] {type.Name}.{m.Name} must be a static void method without parameters.");
        }

        return m.CreateDelegate<Action>();
    }
}
