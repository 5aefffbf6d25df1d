namespace Verify.Specifications;

/// <summary>
/// Marks a field that is set while the model is built and never written after: a configuration, a
/// stateless observer or hook, a task's name, a script. Stateful search leaves it out of the state,
/// as it does a <see cref="NotHashedAttribute"/> field, so it costs nothing to hash, copy or
/// restore; everything reachable only through it must be constant too. Unlike
/// <see cref="NotHashedAttribute"/> the promise is checked on demand:
/// <see cref="Configuration.WithFrozenFieldCheck"/> hashes each frozen field's contents at every
/// state (objects the state itself reaches count as references, their contents being state) and
/// fails the search when one differs from what it was at its first state. For an auto-property
/// write <c>[field: Frozen]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class FrozenAttribute : Attribute
{
}
