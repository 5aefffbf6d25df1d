using Verify;
using Verify.Actors;
using Xunit;

namespace Compat.Tests;

public class MustHandleAndBoundTests : BaseActorTest
{
    private sealed class Deaf : StateMachine
    {
        [Start]
        [IgnoreEvents(typeof(Ping))]
        private sealed class Listening : State
        {
        }
    }

    [Fact]
    public void SendEvent_MustHandleEventThatIsIgnored_IsNotABug()
    {
        Test(r => r.SendEvent(r.CreateActor(typeof(Deaf)), new Ping(), options: new SendOptions(mustHandle: true)));
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Slow : Actor
    {
        private void OnPing()
        {
        }
    }

    [Fact]
    public void SendEvent_WithAssertBound_IsABugWhenTheInboxHoldsMore()
    {
        TestWithError(
            r =>
            {
                ActorId id = r.CreateActor(typeof(Slow));
                r.SendEvent(id, new Ping(), options: new SendOptions(assert: 1));
                r.SendEvent(id, new Ping(), options: new SendOptions(assert: 1));
            },
            "There are more than 1 instances of Ping in the inbox of Slow(1) (2 after a send with SendOptions(assert: 1)). "
                + "A receiver that handles the event too slowly, or a sender in a loop, usually causes this.",
            kind: BugKind.Assertion);
    }

    [Fact]
    public void SendEvent_WithAssertBound_IsNotABugWithinTheBound()
    {
        Test(r =>
        {
            ActorId id = r.CreateActor(typeof(Slow));
            r.SendEvent(id, new Ping(), options: new SendOptions(assert: 2));
            r.SendEvent(id, new Ping(), options: new SendOptions(assert: 2));
        });
    }
}
