using Verify.Actors;
using Verify.Specifications;

namespace Checker.Tests.Fixtures;

/// <summary>
/// Liveness: every request must eventually be answered (<see cref="ResponseLiveness"/> is hot while
/// one is open). The server answers only if a coin says so; otherwise it either forgets the
/// request and the run terminates with the monitor hot (<c>livelock: false</c>), or it keeps
/// retrying forever without answering (<c>livelock: true</c>), which only a fair run can judge.
/// </summary>
internal static class UnansweredRequest
{
    internal static Action<IActorRuntime> Test(bool livelock) => runtime =>
    {
        runtime.RegisterMonitor<ResponseLiveness>();
        ActorId server = runtime.CreateActor(typeof(Server), new Mode(livelock));
        runtime.CreateActor(typeof(Client), new ServerAddress(server));
    };

    internal sealed class Mode(bool livelock) : Event
    {
        public bool Livelock { get; } = livelock;
    }

    internal sealed class ServerAddress(ActorId server) : Event
    {
        public ActorId Server { get; } = server;
    }

    internal sealed class Request(ActorId client) : Event
    {
        public ActorId Client { get; } = client;
    }

    internal sealed class Response : Event
    {
    }

    internal sealed class Retry : Event
    {
    }

    internal sealed class RequestOpened : Monitor.Event
    {
    }

    internal sealed class RequestAnswered : Monitor.Event
    {
    }

    internal sealed class ResponseLiveness : Monitor
    {
        [Start]
        [Cold]
        [OnEventGotoState(typeof(RequestOpened), typeof(Waiting))]
        private sealed class Idle : State
        {
        }

        [Hot]
        [OnEventGotoState(typeof(RequestAnswered), typeof(Idle))]
        private sealed class Waiting : State
        {
        }
    }

    [OnEventDoAction(typeof(Response), nameof(OnResponse))]
    internal sealed class Client : Actor
    {
        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            Monitor<ResponseLiveness>(new RequestOpened());
            SendEvent(((ServerAddress)initialEvent!).Server, new Request(Id));
            return Task.CompletedTask;
        }

        private void OnResponse()
        {
        }
    }

    [OnEventDoAction(typeof(Request), nameof(OnRequest))]
    [OnEventDoAction(typeof(Retry), nameof(OnRetry))]
    internal sealed class Server : Actor
    {
        private bool livelock;

        protected override Task OnInitializeAsync(Event? initialEvent)
        {
            livelock = ((Mode)initialEvent!).Livelock;
            return Task.CompletedTask;
        }

        private void OnRequest(Event e)
        {
            if (RandomBoolean())
            {
                Monitor<ResponseLiveness>(new RequestAnswered());
                SendEvent(((Request)e).Client, new Response());
            }
            else if (livelock)
            {
                SendEvent(Id, new Retry());
            }
        }

        // Busy without progress: the retry never answers, it only schedules another retry.
        private void OnRetry() => SendEvent(Id, new Retry());
    }
}
