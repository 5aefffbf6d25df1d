using System.Linq;
using System.Threading.Tasks;
using Verify;
using Verify.Actors;
using Xunit;

namespace Compat.Tests;

public class RuntimeQueryTests : BaseActorTest
{
    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Node : Actor
    {
        private void OnPing() => Assert(Id.Runtime.GetActorExecutionStatus(Id) == ActorExecutionStatus.Active, "{0} is not active while it runs", Id);
    }

    private sealed class Other : Actor
    {
    }

    [Fact]
    public void ActorId_Runtime_IsTheRuntimeThatCreatedIt()
    {
        IActorRuntime seen = null;
        ActorId id = null;
        Test(r =>
        {
            seen = r;
            id = r.CreateActor(typeof(Node));
        });

        Assert.Same(seen, id.Runtime);
    }

    [Fact]
    public void CreateActorIdFromName_SameName_GivesTheSameId_BoundOrNot()
    {
        var journal = new Journal();
        Test(r =>
        {
            ActorId first = r.CreateActorIdFromName(typeof(Node), "leader");
            ActorId again = r.CreateActorIdFromName(typeof(Node), "leader");
            ActorId other = r.CreateActorIdFromName(typeof(Node), "follower");
            journal.Add($"same before binding: {first == again && first.Equals(again)}; other differs: {!first.Equals(other)}");
            journal.Add($"status before binding: {r.GetActorExecutionStatus(first)}");

            r.CreateActor(first, typeof(Node));
            ActorId afterwards = r.CreateActorIdFromName(typeof(Node), "leader");
            journal.Add($"same after binding: {afterwards.Equals(first)}; status {r.GetActorExecutionStatus(afterwards)}; name {afterwards.Name}");
            r.SendEvent(afterwards, new Ping());
        });

        Assert.Equal(
            new[]
            {
                "same before binding: True; other differs: True",
                "status before binding: None",
                "same after binding: True; status Active; name leader",
            },
            journal.Lines);
    }

    [Fact]
    public void Runtime_CurrentActorQueries_ListTheActorsCreatedAndNotHalted()
    {
        var journal = new Journal();
        Test(r =>
        {
            ActorId a = r.CreateActor(typeof(Node));
            ActorId b = r.CreateActor(typeof(Other));
            r.CreateActor(typeof(Node));
            journal.Add($"count {r.GetCurrentActorCount()}");
            journal.Add("ids " + string.Join(", ", r.GetCurrentActorIds()));
            journal.Add("types " + string.Join(", ", r.GetCurrentActorTypes().Select(t => t.Name).OrderBy(n => n)));
            r.OnActorHalted += id => journal.Add($"after {id} halted: count {r.GetCurrentActorCount()}");
            r.SendEvent(b, HaltEvent.Instance);
        });

        Assert.Equal(
            new[] { "count 3", "ids Node(1), Other(2), Node(3)", "types Node, Other", "after Other(2) halted: count 2" },
            journal.Lines);
    }
}
