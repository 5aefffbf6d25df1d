using Verify.Actors;

namespace Verify.Runtime;

internal enum EffectKind : byte
{
    Send,
    Create,
}

/// <summary>
/// A send or creation issued inside a handler. Each is a scheduling point: the handler runs
/// atomically and leaves its effects in order, and the actor delivers them one per step before
/// it dequeues again. Other actors can run between two deliveries, exactly as they could run
/// between two sends of a Coyote handler.
/// </summary>
internal readonly record struct Effect(EffectKind Kind, Actor Target, in Envelope Envelope);
