namespace Verify.SystematicTesting;

/// <summary>Marks a static test entry point: <c>void M(IActorRuntime)</c>, <c>void M()</c>, or the <c>Task</c> forms.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TestAttribute : Attribute
{
}

/// <summary>A static method run once before the iterations of the tests in its class.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TestInitAttribute : Attribute
{
}

/// <summary>A static method run once after the iterations of the tests in its class.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TestDisposeAttribute : Attribute
{
}

/// <summary>A static method run after every iteration.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TestIterationDisposeAttribute : Attribute
{
}

/// <summary>
/// Marks a static property or parameterless method returning <see cref="TestCaseSource"/>s: a
/// matrix of tests (variant x scenario) that `verify list` shows and `verify test` runs by name.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property)]
public sealed class TestSourceAttribute : Attribute
{
}

/// <summary>One generated test: its name (relative to the declaring class) and its body.</summary>
public sealed record TestCaseSource(string Name, Action<Verify.Actors.IActorRuntime> Test);
