using Verify;
using Verify.Actors;
using Verify.Specifications;
using Verify.SystematicTesting;
using Xunit;

namespace Checker.Tests.StateSpace;

/// <summary>
/// <see cref="Configuration.WithStateProfile"/>: the search reports the field paths with the most
/// distinct values over its states, each object named by its shortest path from a root.
/// </summary>
public sealed class StateProfileTests
{
    [Fact]
    public void Profile_CountsEachFieldPathsDistinctValues_MostFirst()
    {
        StateSpaceReport s = Run(profile: 50).StateSpace!;

        Assert.True(s.States > 0);
        Dictionary<string, int> profile = s.Profile.ToDictionary(p => p.Path, p => p.Distinct);

        // Each worker counts 0..3 in its own box; the shared box counts the ticks of both (0..6),
        // named through worker 1 wherever worker 1 has it (through worker 2 only before worker 1
        // starts, when worker 2 may already have ticked it up to 3).
        Assert.Equal(("Worker(1).shared.Value", 7), s.Profile[0]);
        Assert.Equal(4, profile["Worker(1).own.Value"]);
        Assert.Equal(4, profile["Worker(2).own.Value"]);
        Assert.Equal(4, profile["Worker(2).shared.Value"]);

        // A field that never changes has one value; [Frozen] fields are not state and are not listed.
        Assert.Equal(1, profile["Worker(1).step"]);
        Assert.DoesNotContain(s.Profile, p => p.Path.EndsWith(".ticks", StringComparison.Ordinal));
        Assert.Equal(3, profile["Worker(1).<state>"]); // Created, Counting, Done
        Assert.Equal(s.Profile.OrderByDescending(p => p.Distinct).Select(p => p.Distinct), s.Profile.Select(p => p.Distinct));
    }

    [Fact]
    public void Profile_IsLimitedToTheFieldsAsked_AndOffByDefault_WithTheSameSpace()
    {
        StateSpaceReport top = Run(profile: 2).StateSpace!;
        StateSpaceReport off = Run(profile: 0).StateSpace!;

        Assert.Equal(2, top.Profile.Count);
        Assert.Empty(off.Profile);
        Assert.Equal(off.States, top.States);
        Assert.Equal(off.Transitions, top.Transitions);
    }

    [Fact]
    public void Summary_ListsTheProfile()
    {
        TestReport report = Run(profile: 3);

        string summary = report.StateSpace!.Summary(report);

        Assert.Contains($"Profile       distinct values over the {report.StateSpace.States:N0} states, the 3 field paths with the most:", summary, StringComparison.Ordinal);
        Assert.Contains("Worker(1).shared.Value", summary, StringComparison.Ordinal);
    }

    private static TestReport Run(int profile)
    {
        Configuration config = Configuration.Create().WithStrategy("stateful-bfs", 0).WithStateProfile(profile);
        return Stateful.Run(config, r =>
        {
            var shared = new Box();
            r.CreateActor(typeof(Worker), new Worker.Setup(shared));
            r.CreateActor(typeof(Worker), new Worker.Setup(shared));
        }).TestReport;
    }

    internal sealed class Box
    {
        public int Value;
    }

    /// <summary>Ticks its own box and the shared one three times each, then stops.</summary>
    internal sealed class Worker : StateMachine
    {
        [Frozen]
        private readonly int ticks = 3;

        private readonly Box own = new();
        private readonly int step = 1;
        private Box shared = null!;

        internal sealed class Setup(Box shared) : Event
        {
            public Box Shared { get; } = shared;
        }

        [Start]
        [OnEntry(nameof(Begin))]
        [OnEventDoAction(typeof(DefaultEvent), nameof(Tick))]
        private sealed class Counting : State
        {
        }

        private sealed class Done : State
        {
        }

        private void Begin(Event e) => shared = ((Setup)e).Shared;

        private void Tick()
        {
            own.Value += step;
            shared.Value += step;
            if (own.Value == ticks)
            {
                RaiseGotoStateEvent<Done>();
            }
        }
    }
}
