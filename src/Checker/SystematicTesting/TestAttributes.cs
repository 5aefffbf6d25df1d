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
