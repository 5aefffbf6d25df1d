using FsCheck;
using FsCheck.Fluent;

namespace Protocols.Tests;

/// <summary>Runs an FsCheck property with a fixed seed, so a generated configuration suite is deterministic.</summary>
internal static class FsChecks
{
    internal static void Check(Property property, int seed, int maxTest)
    {
        Config config = Config.QuickThrowOnFailure
            .WithMaxTest(maxTest)
            .WithQuietOnSuccess(true)
            .WithReplay(new Replay(new Rnd((ulong)seed), Microsoft.FSharp.Core.FSharpOption<int>.None));
        FsCheck.Check.One(config, property);
    }
}
