namespace Verify.Specifications;

/// <summary>
/// Leaves a field out of the model state that stateful search hashes and restores: a cache, a
/// statistic, a log. The search then treats two states that differ only in this field as one, and
/// never rolls the field's contents back, so the model's behaviour must not depend on it. For an
/// auto-property write <c>[field: NotHashed]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class NotHashedAttribute : Attribute
{
}
