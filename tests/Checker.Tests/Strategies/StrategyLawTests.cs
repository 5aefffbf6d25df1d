using Checker.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Verify.Strategies;
using Verify.Traces;
using Xunit;

namespace Checker.Tests.Strategies;

/// <summary>The laws every strategy keeps, whatever the engine asks: answers lie within what was offered.</summary>
public sealed class StrategyLawTests
{
    /// <summary>One question to a strategy: an enabled set (ascending ids), the id that ran last, and a value bound.</summary>
    public sealed record Question(int[] Enabled, int Current, int ValueBound);

    /// <summary>A strategy built by the factory, then asked a series of questions in one iteration.</summary>
    public sealed record Session(string Name, int Bound, ulong Seed, int Hint, int FairPrefix, int Iteration, Question[] Questions)
    {
        public override string ToString() =>
            $"{Name}(bound {Bound}, seed {Seed}, hint {Hint}, prefix {FairPrefix}, iteration {Iteration}) x {Questions.Length} questions";
    }

    private static Gen<Question> Questions =>
        Gen.SubListOf(Enumerable.Range(1, 24).ToArray())
            .Where(ids => ids.Count > 0)
            .SelectMany(ids => Gen.Elements(ids.Append(0).Append(25).ToArray())
                .Zip(Gen.Choose(1, 1000), (current, bound) => new Question(ids.Order().ToArray(), current, bound)));

    private static Arbitrary<Session> Sessions =>
        (from name in Gen.Elements(StrategyFactory.Names.ToArray())
         from bound in Gen.Choose(0, 12)
         from seed in ArbMap.Default.GeneratorFor<ulong>()
         from hint in Gen.Choose(0, 50)
         from prefix in Gen.Choose(0, 30)
         from iteration in Gen.Choose(0, 100)
         from questions in Questions.ArrayOf()
         select new Session(name, bound, seed, hint, prefix, iteration, questions)).ToArbitrary();

    [Fact]
    public void EveryStrategy_PicksAnIndexWithinTheEnabledSet_AndAValueWithinTheBound()
    {
        Properties.Check(Sessions, session =>
        {
            IStrategy strategy = StrategyFactory.Create(session.Name, session.Bound, session.Seed, session.Hint, session.FairPrefix);

            // DFS has a single first iteration to offer; it must accept it.
            int iteration = session.Name == "dfs" ? 0 : session.Iteration;
            if (!strategy.PrepareIteration(iteration))
            {
                return false;
            }

            foreach (Question q in session.Questions)
            {
                int i = strategy.PickOperation(q.Enabled, q.Current);
                int v = strategy.PickValue(q.ValueBound);
                if (i < 0 || i >= q.Enabled.Length || v < 0 || v >= q.ValueBound)
                {
                    return false;
                }
            }

            return true;
        }, maxTest: 300);
    }

    [Fact]
    public void EveryStrategy_AnswersTheSameQuestionsTheSameWay_ForTheSameSeedAndIteration()
    {
        // One seed gives one run: two fresh instances asked the same questions agree on every answer.
        Properties.Check(Sessions, session =>
        {
            int iteration = session.Name == "dfs" ? 0 : session.Iteration;
            IStrategy first = StrategyFactory.Create(session.Name, session.Bound, session.Seed, session.Hint, session.FairPrefix);
            IStrategy second = StrategyFactory.Create(session.Name, session.Bound, session.Seed, session.Hint, session.FairPrefix);
            first.PrepareIteration(iteration);
            second.PrepareIteration(iteration);
            return session.Questions.All(q =>
                first.PickOperation(q.Enabled, q.Current) == second.PickOperation(q.Enabled, q.Current)
                && first.PickValue(q.ValueBound) == second.PickValue(q.ValueBound));
        }, maxTest: 200);
    }

    [Fact]
    public void Replay_ReturnsTheRecordedOperation_OrReportsDivergenceAtItsStep()
    {
        Arbitrary<(Question[] Questions, int[] Recorded)> cases = Questions.NonEmptyListOf()
            .SelectMany(qs => Gen.Choose(1, 24).ArrayOf(qs.Count).Select(ids => (qs.ToArray(), ids)))
            .ToArbitrary();

        Properties.Check(cases, c =>
        {
            var replay = new ReplayStrategy(c.Recorded.Select(id => new Decision(DecisionKind.Schedule, id, 0)).ToArray(), fair: false);
            replay.PrepareIteration(0);
            for (int step = 0; step < c.Questions.Length; step++)
            {
                int[] enabled = c.Questions[step].Enabled;
                int expected = Array.IndexOf(enabled, c.Recorded[step]);
                try
                {
                    if (replay.PickOperation(enabled, 0) != expected)
                    {
                        return false;
                    }
                }
                catch (TraceDivergenceException ex)
                {
                    return expected < 0 && ex.Step == step + 1;
                }
            }

            return true;
        });
    }

    [Fact]
    public void Dfs_RunsOutOfIterations_OnlyAfterEveryChoiceWasTried()
    {
        // A fixed tree: three binary decisions per iteration give eight leaves, then nothing left.
        var dfs = new DfsStrategy();
        var leaves = new List<string>();
        for (int iteration = 0; dfs.PrepareIteration(iteration); iteration++)
        {
            leaves.Add(string.Concat(Enumerable.Range(0, 3).Select(_ => dfs.PickValue(2))));
        }

        Assert.Equal(["000", "001", "010", "011", "100", "101", "110", "111"], leaves);
        Assert.True(dfs.Exhausted);
    }
}
