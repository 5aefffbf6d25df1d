// DiningPhilosophers: three philosophers and three forks, with a DEADLOCK.
//
// What it shows: an Actor (not a state machine) whose handler is an `async Task` method that
// waits for replies with `await this.ReceiveEventAsync(typeof(ForkGrantedEvent))`, and Fork
// lock servers that defer requests while taken ([DeferEvents]). OnInitializeAsync reads the
// initial event.
//
// The bug (Execute): every philosopher takes the fork on the left first. If all three hold
// their left fork at once, each waits in ReceiveEventAsync for a fork its neighbour holds, and
// no actor can take another step: a deadlock. It needs a specific interleaving: every
// philosopher's first grant must come before any of them asks for a second fork.
// The fix (ExecuteWithOrderedForks): take the lower-numbered fork first, the classic resource
// ordering that makes a cycle of waiters impossible.
//
// The same file compiles against Coyote 1.7 after replacing `Verify` by `Microsoft.Coyote`
// in the using lines.
using Verify.Actors;
using Verify.SystematicTesting;

namespace Samples.DiningPhilosophers;

public static class DiningPhilosophersSample
{
    public const int Philosophers = 5;
    public const int MealsEach = 2;

    private static long mealsEaten;

    /// <summary>Meals eaten since the last reset, over all iterations: a reachability count for tests.</summary>
    public static long MealsEaten => System.Threading.Interlocked.Read(ref mealsEaten);

    public static void ResetCounters() => System.Threading.Interlocked.Exchange(ref mealsEaten, 0);

    internal static void CountMeal() => System.Threading.Interlocked.Increment(ref mealsEaten);

    [Test]
    public static void Execute(IActorRuntime runtime) => SetTable(runtime, orderedForks: false);

    [Test]
    public static void ExecuteWithOrderedForks(IActorRuntime runtime) => SetTable(runtime, orderedForks: true);

    private static void SetTable(IActorRuntime runtime, bool orderedForks)
    {
        var forks = new ActorId[Philosophers];
        for (int i = 0; i < Philosophers; i++)
        {
            forks[i] = runtime.CreateActor(typeof(Fork));
        }

        for (int i = 0; i < Philosophers; i++)
        {
            ActorId left = forks[i];
            ActorId right = forks[(i + 1) % Philosophers];
            bool leftFirst = !orderedForks || i < (i + 1) % Philosophers;
            runtime.CreateActor(typeof(Philosopher), leftFirst
                ? new PhilosopherConfigEvent(left, right, MealsEach)
                : new PhilosopherConfigEvent(right, left, MealsEach));
        }
    }
}
