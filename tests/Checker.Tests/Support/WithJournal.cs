using Verify.Actors;

namespace Checker.Tests.Support;

/// <summary>Initial event carrying the iteration's journal.</summary>
internal sealed class WithJournal(Journal journal) : Event
{
    public Journal Journal { get; } = journal;
}
