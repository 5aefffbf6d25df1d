namespace Checker.Tests.Support;

/// <summary>
/// What a fixture did in one iteration, in order. A test creates one per iteration and hands it to
/// the model in an initial event (<see cref="WithJournal"/>), so reachability is checked without statics.
/// </summary>
internal sealed class Journal
{
    private readonly List<string> entries = [];

    internal IReadOnlyList<string> Entries => entries;

    internal void Add(string entry) => entries.Add(entry);

    public override string ToString() => string.Join(", ", entries);
}
