namespace Verify.Actors;

/// <summary>
/// Marks an actor whose steps touch memory shared with other actors only where they call
/// <see cref="Actor.NoteSharedAccess"/>. Partial-order reduction (<c>--por</c>) then treats any of
/// its steps that did not call it as local: the search may run that step alone and postpone every
/// other actor behind it, although the actor holds references to objects other actors hold too.
/// </summary>
/// <remarks>
/// The model vouches for what the engine cannot see: that a step which noted nothing commutes with
/// every step the other actors can take before it, including their sends to this actor. Check the
/// claim where the memory is accessed (a model can fail a step that breaks it), and compare a
/// reduced exhaustive search with a full one on small configurations. The engine still checks what
/// it can: a local step notifies no monitor, creates no actor, and neither halts nor starts waiting.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class DeclaresSharedAccessAttribute : Attribute
{
}
