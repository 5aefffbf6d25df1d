using System.Collections.Generic;
using Verify.Actors;
using Verify.Logging;
using Verify.Specifications;
using Xunit;

namespace Compat.Tests;

public class LoggingTests : BaseActorTest
{
    private sealed class Seen : Monitor.Event
    {
    }

    private sealed class Watch : Monitor
    {
        [Start]
        [OnEventGotoState(typeof(Seen), typeof(Done))]
        private sealed class Idle : State
        {
        }

        [Cold]
        [IgnoreEvents(typeof(Seen))]
        private sealed class Done : State
        {
        }
    }

    private sealed class Light : StateMachine
    {
        [Start]
        [OnEventGotoState(typeof(Ping), typeof(On), nameof(OnSwitch))]
        private sealed class Off : State
        {
        }

        private sealed class On : State
        {
        }

        private void OnSwitch()
        {
            Logger.WriteLine("switching {0}", Id);
            Monitor<Watch>(new Seen());
        }
    }

    /// <summary>Writes one line per callback it overrides, as a user's log would.</summary>
    private sealed class LineLog : IActorRuntimeLog
    {
        public List<string> Lines { get; } = new List<string>();

        public void OnCreateStateMachine(ActorId id, string creatorName, string creatorType) => Lines.Add($"create {id} by {creatorName ?? "test"}");

        public void OnSendEvent(ActorId targetActorId, string senderName, string senderType, string senderStateName, Event e, EventGroup eventGroup, bool isTargetHalted) =>
            Lines.Add($"send {e.GetType().Name} to {targetActorId}");

        public void OnDequeueEvent(ActorId id, string stateName, Event e) => Lines.Add($"{id} dequeues {e.GetType().Name} in {stateName}");

        public void OnExecuteAction(ActorId id, string handlingStateName, string currentStateName, string actionName) => Lines.Add($"{id} runs {actionName}");

        public void OnStateTransition(ActorId id, string stateName, bool isEntry) => Lines.Add($"{id} {(isEntry ? "enters" : "exits")} {stateName}");

        public void OnMonitorStateTransition(string monitorType, string stateName, bool isEntry, bool? isInHotState) =>
            Lines.Add($"{monitorType.Substring(monitorType.LastIndexOf('+') + 1)} {(isEntry ? "enters" : "exits")} {stateName}");
    }

    [Fact]
    public void Runtime_RegisterLog_ObservesStatesSendsDequeuesActionsAndMonitorStates()
    {
        var log = new LineLog();
        Test(r =>
        {
            r.RegisterLog(log);
            r.RegisterMonitor<Watch>();
            r.SendEvent(r.CreateActor(typeof(Light)), new Ping());
        });

        Assert.Equal(
            new[]
            {
                "Watch enters Idle",
                "create Light(1) by test",
                "send Ping to Light(1)",
                "Light(1) enters Off",
                "Light(1) dequeues Ping in Off",
                "Light(1) exits Off",
                "Light(1) runs OnSwitch",
                "Watch exits Idle",
                "Watch enters Done",
                "Light(1) enters On",
            },
            log.Lines);
    }

    [Fact]
    public void Runtime_LoggerSetToAMemoryLogger_ReceivesTheModelsLines()
    {
        var memory = new MemoryLogger();
        Test(r =>
        {
            r.Logger = memory;
            r.RegisterMonitor<Watch>();
            r.SendEvent(r.CreateActor(typeof(Light)), new Ping());
        });

        Assert.Equal("switching Light(1)\n", memory.ToString());
    }
}
