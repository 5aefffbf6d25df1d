using Verify.Actors;
using Verify.Specifications;

namespace Samples.Raft;

internal class ServerSetup : Event
{
    public readonly int Index;
    public readonly int ClusterSize;
    public readonly bool ChecksVotedFor;

    public ServerSetup(int index, int clusterSize, bool checksVotedFor)
    {
        this.Index = index;
        this.ClusterSize = clusterSize;
        this.ChecksVotedFor = checksVotedFor;
    }
}

internal class RequestVoteEvent : Event
{
    public readonly int Term;
    public readonly ActorId Candidate;

    public RequestVoteEvent(int term, ActorId candidate)
    {
        this.Term = term;
        this.Candidate = candidate;
    }
}

internal class VoteEvent : Event
{
    public readonly int Term;
    public readonly bool Granted;

    public VoteEvent(int term, bool granted)
    {
        this.Term = term;
        this.Granted = granted;
    }
}

internal class HeartbeatEvent : Event
{
    public readonly int Term;

    public HeartbeatEvent(int term)
    {
        this.Term = term;
    }
}

internal class LeaderElected : Monitor.Event
{
    public readonly int Term;
    public readonly string Leader;

    public LeaderElected(int term, string leader)
    {
        this.Term = term;
        this.Leader = leader;
    }
}
