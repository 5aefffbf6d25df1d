using System.Collections.Generic;
using Verify.Specifications;

namespace Samples.Raft;

/// <summary>Election safety: at most one leader per term.</summary>
internal class SafetyMonitor : Monitor
{
    private readonly Dictionary<int, string> leaders = new Dictionary<int, string>();

    [Start]
    [OnEventDoAction(typeof(LeaderElected), nameof(OnLeaderElected))]
    private class Checking : State
    {
    }

    private void OnLeaderElected(Event e)
    {
        var elected = (LeaderElected)e;
        RaftSample.Elections++;
        if (this.leaders.TryGetValue(elected.Term, out string other))
        {
            this.Assert(other == elected.Leader, "Term {0} has two leaders: {1} and {2}.", elected.Term, other, elected.Leader);
        }
        else
        {
            this.leaders[elected.Term] = elected.Leader;
        }
    }
}
