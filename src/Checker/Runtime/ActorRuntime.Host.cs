using Verify.Actors;

namespace Verify.Runtime;

/// <summary>The host of RuntimeFactory.Create: actors run on the caller's thread after each outside call.</summary>
internal sealed partial class ActorRuntime
{
    /// <summary>Steps one outside call may run; 0 when this runtime runs a test iteration instead of hosting.</summary>
    internal int HostBudget { get; init; }

    private bool draining;

    private ActorId Hosted(ActorId id)
    {
        if (HostBudget > 0)
        {
            Drain();
        }

        return id;
    }

    /// <summary>
    /// Runs enabled actors, picked by the strategy, until none can run or the budget is spent. No
    /// deadlock or liveness check: between two outside calls, waiting is what a hosted actor does.
    /// A bug stops the host: OnFailure hears of it and later calls run nothing.
    /// </summary>
    private void Drain()
    {
        if (draining || Running is not null || Bug is not null)
        {
            return;
        }

        draining = true;
        using Scope scope = Enter();
        try
        {
            int last = 0;
            for (int i = 0; i < HostBudget && Bug is null; i++)
            {
                int n = CollectEnabled();
                if (n == 0)
                {
                    break;
                }

                int id = PickOperation(n, last);
                Execute(id);
                last = id;
            }
        }
        finally
        {
            draining = false;
            decisions.Clear();
        }

        if (Bug is not null)
        {
            Fail();
        }
    }
}
