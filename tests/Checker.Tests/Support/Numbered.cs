using Verify.Actors;

namespace Checker.Tests.Support;

/// <summary>A numbered event; <see cref="From"/> names the sender so receivers can check per-sender order.</summary>
internal sealed class Numbered(string from, int seq) : Event
{
    public string From { get; } = from;

    public int Seq { get; } = seq;
}
