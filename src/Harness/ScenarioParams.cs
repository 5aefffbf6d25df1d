using Verify.Actors;
using Verify.Protocols;

namespace Verify.Harness;

/// <summary>
/// `--param NAME=VALUE` for protocol scenarios: parsed, validated by the protocol's
/// <see cref="IScenarioParameters"/>, applied to the test body (<see cref="TestCase.Parameters"/>,
/// which the engine writes into every trace as <c># param NAME=VALUE</c> lines,
/// <see cref="Verify.SystematicTesting.TestingEngine.TraceParameters"/>) and read back by
/// `verify replay` and `verify minimize`.
/// </summary>
internal static class ScenarioParams
{
    /// <summary>The NAME=VALUE pairs of the given <c>--param</c> options, in order.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> Parse(IEnumerable<string> raw) =>
        raw.Select(s =>
        {
            int eq = s.IndexOf('=');
            return eq > 0 && eq < s.Length - 1 && !s.Contains(' ')
                ? KeyValuePair.Create(s[..eq], s[(eq + 1)..])
                : throw new UsageException($"--param needs NAME=VALUE (e.g. --param HZ=250), not '{s}'.");
        }).ToList();

    /// <summary>The parameters of a built-in protocol scenario and its name for them (<c>Variant.Scenario.Property</c>), or null.</summary>
    internal static (IScenarioParameters Parameters, string Scenario)? Of(TestCase test)
    {
        string[] parts = test.FullName.Split('.');
        if (parts.Length < 3)
        {
            return null;
        }

        string scenario = string.Join('.', parts[^3..]);
        foreach (Protocol p in Protocol.All)
        {
            if (test.FullName.Contains("." + p.Name + ".", StringComparison.Ordinal) && p.Parameters is IScenarioParameters ps && ps.Describe(scenario) is not null)
            {
                return (ps, scenario);
            }
        }

        return null;
    }

    /// <summary><paramref name="test"/> with <paramref name="values"/> applied; the test itself when there are none.</summary>
    internal static TestCase Apply(TestCase test, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        if (values.Count == 0)
        {
            return test;
        }

        if (Of(test) is not var (parameters, scenario))
        {
            throw new UsageException($"{test.FullName} takes no --param: parameters belong to protocol scenarios (`verify list --params <scenario>` lists them).");
        }

        Action<IActorRuntime> body;
        try
        {
            body = parameters.Build(scenario, values);
        }
        catch (ScenarioParameterException ex)
        {
            throw new UsageException(ex.Message);
        }

        return test.WithParameters(r =>
        {
            body(r);
            return null;
        }, values);
    }

    /// <summary>"HZ=8, MaxTicks=5".</summary>
    internal static string Show(IReadOnlyList<KeyValuePair<string, string>> values) => string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"));
}
