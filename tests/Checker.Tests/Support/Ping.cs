using Verify.Actors;

namespace Checker.Tests.Support;

/// <summary>A payload-free event for fixtures that only need "something arrived".</summary>
internal sealed class Ping : Event
{
}
