using System.Collections.Generic;
using Verify.Actors;

namespace Compat.Tests;

/// <summary>What the actors of one test saw, in order; passed to them in their initial event.</summary>
public sealed class Journal
{
    public List<string> Lines { get; } = new List<string>();

    public void Add(string line) => Lines.Add(line);
}

/// <summary>The initial event that hands an actor its journal.</summary>
public sealed class Setup : Event
{
    public Setup(Journal journal, ActorId other = null)
    {
        Journal = journal;
        Other = other;
    }

    public Journal Journal { get; }

    public ActorId Other { get; }
}

public sealed class Ping : Event
{
}

public sealed class Go : Event
{
}
