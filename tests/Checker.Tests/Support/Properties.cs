using FsCheck;
using FsCheck.Fluent;

namespace Checker.Tests.Support;

/// <summary>Runs FsCheck properties with a fixed generator seed, so a property test draws the same cases on every run.</summary>
internal static class Properties
{
    internal static void Check(Property property, int maxTest = 100, ulong seed = 20_251_122)
    {
        Config config = Config.QuickThrowOnFailure
            .WithMaxTest(maxTest)
            .WithQuietOnSuccess(true)
            .WithReplay(new Replay(new Rnd(seed), Microsoft.FSharp.Core.FSharpOption<int>.None));
        FsCheck.Check.One(config, property);
    }

    internal static void Check<T>(Arbitrary<T> arbitrary, Func<T, bool> law, int maxTest = 100) =>
        Check(Prop.ForAll(arbitrary, law), maxTest);
}
