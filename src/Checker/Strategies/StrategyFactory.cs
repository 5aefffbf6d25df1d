namespace Verify.Strategies;

/// <summary>Builds a strategy from its CLI name, bound and seed.</summary>
public static class StrategyFactory
{
    public static readonly IReadOnlyList<string> Names =
        ["random", "probabilistic", "prioritization", "fair-prioritization", "delay-bounding", "fair-delay-bounding", "dfs", "portfolio"];

    /// <summary>
    /// Stateful exhaustive searches: not strategies of sampled iterations, run by <c>StateSpace.StatefulSearch</c>.
    /// <c>stateful</c> searches breadth-first within <see cref="Configuration.BreadthFirstStates"/>
    /// states (shallow bugs first, each with the fewest steps), then depth-first.
    /// </summary>
    public static readonly IReadOnlyList<string> StatefulNames = ["stateful", "stateful-dfs", "stateful-bfs"];

    public static bool IsKnown(string name) => Names.Contains(name) || IsStateful(name);

    public static bool IsStateful(string name) => StatefulNames.Contains(name);

    /// <summary>Every name <c>-s</c> accepts.</summary>
    public static IEnumerable<string> AllNames => Names.Concat(StatefulNames);

    /// <summary>Whether the strategy places change points or delays, and so needs a schedule-length estimate.</summary>
    public static bool NeedsLengthHint(string name) => name is not ("random" or "probabilistic" or "dfs");

    /// <summary>
    /// Default bounds when none is given. Few change points or delays find most bugs (the PCT paper
    /// reports depth 2-3 for nearly all); many on a short schedule make every step a switch point,
    /// which degenerates into round robin.
    /// </summary>
    public const int DefaultPriorityChanges = 3;

    public const int DefaultDelays = 2;

    /// <param name="lengthHint">Steps with two or more enabled operations in a calibration run.</param>
    /// <param name="fairPrefix">Scheduling decisions a fair-* strategy leaves to its unfair part (the unfair step bound).</param>
    public static IStrategy Create(string name, int bound, ulong seed, int lengthHint, int fairPrefix) => name switch
    {
        "random" => new RandomStrategy(seed),
        "probabilistic" => new ProbabilisticStrategy(seed, bound > 0 ? bound : 3),
        "prioritization" => new PctStrategy(seed, bound > 0 ? bound : DefaultPriorityChanges, lengthHint),
        "fair-prioritization" => new FairStrategy(new PctStrategy(seed, bound > 0 ? bound : DefaultPriorityChanges, lengthHint), fairPrefix, seed),
        "delay-bounding" => new DelayBoundingStrategy(seed, bound > 0 ? bound : DefaultDelays, lengthHint),
        "fair-delay-bounding" => new FairStrategy(new DelayBoundingStrategy(seed, bound > 0 ? bound : DefaultDelays, lengthHint), fairPrefix, seed),
        "dfs" => new DfsStrategy(),
        "portfolio" => new PortfolioStrategy(
        [
            new RandomStrategy(seed),
            new FairStrategy(new PctStrategy(seed, bound > 0 ? bound : 1, lengthHint), fairPrefix, seed),
            new ProbabilisticStrategy(seed, 3),
            new FairStrategy(new PctStrategy(seed, bound > 0 ? bound * 2 : DefaultPriorityChanges, lengthHint), fairPrefix, seed),
            new FairStrategy(new DelayBoundingStrategy(seed, bound > 0 ? bound : DefaultDelays, lengthHint), fairPrefix, seed),
        ]),
        _ => throw new ArgumentException($"Unknown strategy '{name}'. Known: {string.Join(", ", Names)}."),
    };
}
