using Checker.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Verify.Strategies;
using Xunit;

namespace Checker.Tests.Strategies;

/// <summary>
/// A seed must mean the same run forever, on every .NET version: these outputs are fixed. The
/// first sequence is SplitMix64's published reference vector (seed 1234567).
/// </summary>
public sealed class PrngTests
{
    [Fact]
    public void Prng_MatchesTheSplitMix64ReferenceSequence()
    {
        var rng = new Prng(1234567);

        Assert.Equal(
            [6457827717110365317UL, 3203168211198807973UL, 9817491932198370423UL, 4593380528125082431UL, 16408922859458223821UL],
            Enumerable.Range(0, 5).Select(_ => rng.NextULong()));
    }

    [Fact]
    public void Prng_GivesFixedOutputs_ForSeedsZeroAndFortyTwo()
    {
        var zero = new Prng(0);
        var fortyTwo = new Prng(42);

        Assert.Equal([16294208416658607535UL, 7960286522194355700UL, 487617019471545679UL], Enumerable.Range(0, 3).Select(_ => zero.NextULong()));
        Assert.Equal([13679457532755275413UL, 2949826092126892291UL, 5139283748462763858UL], Enumerable.Range(0, 3).Select(_ => fortyTwo.NextULong()));
    }

    [Fact]
    public void Prng_NextWithABound_GivesFixedOutputs()
    {
        // Multiply-shift of the high 32 bits: ((x >> 32) * bound) >> 32.
        var rng = new Prng(42);

        Assert.Equal([7, 1, 2, 3, 0, 8, 2, 8, 3, 6], Enumerable.Range(0, 10).Select(_ => rng.Next(10)));
    }

    [Fact]
    public void IterationSeed_GivesFixedOutputs()
    {
        Assert.Equal(
            [4922461756044938104UL, 1820451397923222333UL, 7255708332913644382UL],
            Enumerable.Range(0, 3).Select(k => Prng.IterationSeed(1, k)));
        Assert.Equal(12870963724712631011UL, Prng.IterationSeed(42, 0));
        Assert.Equal(12274428000360223401UL, Prng.IterationSeed(42, 1));
    }

    [Fact]
    public void IterationSeed_OfTheNextSeed_IsNotTheNextIterationsSeed()
    {
        // Coyote derives iteration k's seed as seed + k, so runs with seeds 1 and 2 overlap almost
        // entirely. Here (seed, k) and (seed + 1, k - 1) must differ.
        Arbitrary<(ulong Seed, int K)> cases = Gen.Choose(1, 1_000_000)
            .SelectMany(k => ArbMap.Default.GeneratorFor<ulong>().Select(seed => (seed, k)))
            .ToArbitrary();

        Properties.Check(cases, c => Prng.IterationSeed(c.Seed, c.K) != Prng.IterationSeed(unchecked(c.Seed + 1), c.K - 1));
    }

    [Fact]
    public void IterationSeeds_OfNearbySeeds_ShareNoValues()
    {
        var seeds1 = Enumerable.Range(0, 1000).Select(k => Prng.IterationSeed(1, k)).ToHashSet();
        var seeds2 = Enumerable.Range(0, 1000).Select(k => Prng.IterationSeed(2, k)).ToHashSet();

        Assert.Equal(1000, seeds1.Count);
        Assert.Empty(seeds1.Intersect(seeds2));
    }

    [Fact]
    public void PrngNext_StaysWithinItsBound()
    {
        Arbitrary<(ulong Seed, int Bound)> cases = ArbMap.Default.GeneratorFor<ulong>()
            .Zip(Gen.Choose(1, int.MaxValue))
            .ToArbitrary();

        Properties.Check(cases, c =>
        {
            var rng = new Prng(c.Seed);
            return Enumerable.Range(0, 20).All(_ => rng.Next(c.Bound) is int v && v >= 0 && v < c.Bound);
        });
    }
}
