using System;
using System.Collections.Generic;
using Verify.Actors;
using Verify.Actors.Timers;

namespace Samples.Raft;

/// <summary>
/// A Raft server, leader election only. Servers find each other by name
/// (<c>CreateActorIdFromName("Server-i")</c>), not by ids handed around. A follower whose election
/// timer fires becomes a candidate for the next term; a candidate with a majority of votes leads.
/// Elections stop after <see cref="MaxTerm"/> so that every run ends.
/// </summary>
internal class Server : StateMachine
{
    private const int MaxTerm = 3;

    private readonly List<ActorId> peers = new List<ActorId>();
    private int clusterSize;
    private bool checksVotedFor;
    private int term;
    private ActorId votedFor;
    private int votes;
    private TimerInfo electionTimer;

    [Start]
    [OnEntry(nameof(OnInit))]
    private class Init : State
    {
    }

    [OnEntry(nameof(OnFollower))]
    [OnExit(nameof(StopElectionTimer))]
    [OnEventDoAction(typeof(TimerElapsedEvent), nameof(OnFollowerTimeout))]
    [OnEventDoAction(typeof(RequestVoteEvent), nameof(OnRequestVote))]
    [OnEventDoAction(typeof(HeartbeatEvent), nameof(OnHeartbeat))]
    [IgnoreEvents(typeof(VoteEvent))]
    private class Follower : State
    {
    }

    [OnEntry(nameof(OnCandidate))]
    [OnExit(nameof(StopElectionTimer))]
    [OnEventDoAction(typeof(TimerElapsedEvent), nameof(OnCandidateTimeout))]
    [OnEventDoAction(typeof(VoteEvent), nameof(OnVote))]
    [OnEventDoAction(typeof(RequestVoteEvent), nameof(OnRequestVote))]
    [OnEventDoAction(typeof(HeartbeatEvent), nameof(OnHeartbeat))]
    private class Candidate : State
    {
    }

    [OnEntry(nameof(OnLeader))]
    [OnEventDoAction(typeof(RequestVoteEvent), nameof(OnRequestVote))]
    [OnEventDoAction(typeof(HeartbeatEvent), nameof(OnHeartbeat))]
    [IgnoreEvents(typeof(VoteEvent), typeof(TimerElapsedEvent))]
    private class Leader : State
    {
    }

    private void OnInit(Event e)
    {
        var setup = (ServerSetup)e;
        this.clusterSize = setup.ClusterSize;
        this.checksVotedFor = setup.ChecksVotedFor;
        for (int i = 0; i < setup.ClusterSize; i++)
        {
            if (i != setup.Index)
            {
                this.peers.Add(this.Id.Runtime.CreateActorIdFromName(typeof(Server), $"Server-{i}"));
            }
        }

        this.RaiseGotoStateEvent<Follower>();
    }

    private void OnFollower()
    {
        if (this.term < MaxTerm)
        {
            this.electionTimer = this.StartTimer(TimeSpan.FromMilliseconds(150));
        }
    }

    private void OnFollowerTimeout() => this.RaiseGotoStateEvent<Candidate>();

    private void OnCandidate()
    {
        this.term++;
        this.votedFor = this.Id;
        this.votes = 1;
        this.Logger.WriteLine("{0} stands for term {1}.", this.Id, this.term);
        foreach (ActorId peer in this.peers)
        {
            this.SendEvent(peer, new RequestVoteEvent(this.term, this.Id));
        }

        this.electionTimer = this.StartTimer(TimeSpan.FromMilliseconds(150));
    }

    private void OnCandidateTimeout()
    {
        if (this.term < MaxTerm)
        {
            this.RaiseGotoStateEvent<Candidate>();
        }
        else
        {
            this.RaiseGotoStateEvent<Follower>();
        }
    }

    private void OnVote(Event e)
    {
        var vote = (VoteEvent)e;
        if (vote.Term == this.term && vote.Granted)
        {
            this.votes++;
            if (this.votes > this.clusterSize / 2)
            {
                this.RaiseGotoStateEvent<Leader>();
            }
        }
    }

    private void OnLeader()
    {
        this.Monitor<SafetyMonitor>(new LeaderElected(this.term, this.Id.Name));
        foreach (ActorId peer in this.peers)
        {
            this.SendEvent(peer, new HeartbeatEvent(this.term));
        }
    }

    private void OnRequestVote(Event e)
    {
        var request = (RequestVoteEvent)e;
        bool newer = request.Term > this.term;
        if (newer)
        {
            this.term = request.Term;
            this.votedFor = null;
        }

        // Raft grants at most one vote per term; the buggy server forgets whom it voted for.
        bool free = this.votedFor is null || this.votedFor == request.Candidate || !this.checksVotedFor;
        bool granted = request.Term == this.term && free;
        if (granted)
        {
            this.votedFor = request.Candidate;
        }

        this.SendEvent(request.Candidate, new VoteEvent(request.Term, granted));
        if (newer && this.CurrentState != typeof(Follower))
        {
            this.RaiseGotoStateEvent<Follower>();
        }
    }

    private void OnHeartbeat(Event e)
    {
        var heartbeat = (HeartbeatEvent)e;
        if (heartbeat.Term > this.term || (heartbeat.Term == this.term && this.CurrentState == typeof(Candidate)))
        {
            this.term = heartbeat.Term;
            if (this.CurrentState != typeof(Follower))
            {
                this.RaiseGotoStateEvent<Follower>();
            }
        }
    }

    private void StopElectionTimer()
    {
        if (this.electionTimer is not null)
        {
            this.StopTimer(this.electionTimer);
            this.electionTimer = null;
        }
    }
}
