using System.Collections.Generic;
using System.IO;
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
    public void Runtime_RemoveLog_StopsTheObserver()
    {
        var log = new LineLog();
        Test(r =>
        {
            r.RegisterLog(log);
            ActorId light = r.CreateActor(typeof(Light));
            r.RemoveLog(log);
            r.SendEvent(light, new Ping());
        });

        Assert.Equal(new[] { "create Light(1) by test" }, log.Lines);
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

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Counter : Actor
    {
        private int pings;

        private void OnPing()
        {
            pings++;
            Logger.WriteLine($"{Id} counted {pings} ping{(pings == 1 ? string.Empty : "s")}");
        }
    }

    /// <summary>
    /// An interpolated line is formatted only when some logger keeps it: a test's own logger does,
    /// whatever the engine's readable trace does (here it is off).
    /// </summary>
    [Fact]
    public void Runtime_LoggerSetToAMemoryLogger_ReceivesInterpolatedLines()
    {
        var memory = new MemoryLogger();
        Test(r =>
        {
            r.Logger = memory;
            ActorId counter = r.CreateActor(typeof(Counter));
            r.SendEvent(counter, new Ping());
            r.SendEvent(counter, new Ping());
        });

        Assert.Equal("Counter(1) counted 1 ping\nCounter(1) counted 2 pings\n", memory.ToString());
    }

    /// <summary>Records each call with its overload and severity, as a user's severity-aware logger would.</summary>
    private sealed class SeverityLog : ILogger
    {
        public List<string> Lines { get; } = new List<string>();

        public void Write(string value) => Lines.Add("Write " + value);

        public void Write(string format, params object[] args) => Lines.Add("Write " + string.Format(format, args));

        public void WriteLine(string value) => Lines.Add("WriteLine " + value);

        public void WriteLine(string format, params object[] args) => Lines.Add("WriteLine " + string.Format(format, args));

        public void Write(LogSeverity severity, string value) => Lines.Add($"Write {severity} {value}");

        public void Write(LogSeverity severity, string format, params object[] args) => Lines.Add($"Write {severity} " + string.Format(format, args));

        public void WriteLine(LogSeverity severity, string value) => Lines.Add($"WriteLine {severity} {value}");

        public void WriteLine(LogSeverity severity, string format, params object[] args) => Lines.Add($"WriteLine {severity} " + string.Format(format, args));
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Grader : Actor
    {
        private void OnPing()
        {
            Logger.Write(LogSeverity.Debug, "checking ");
            Logger.Write(LogSeverity.Info, "{0} ", Id);
            Logger.WriteLine(LogSeverity.Warning, "late by {0} ticks", 3);
            Logger.WriteLine(LogSeverity.Error, "lost an order");
            Logger.WriteLine(LogSeverity.Important, "{0} done", Id);
        }
    }

    [Fact]
    public void Actor_LoggerWithSeverity_ReachesTheUsersLoggerWithItsSeverity()
    {
        var log = new SeverityLog();
        Test(r =>
        {
            r.Logger = log;
            r.SendEvent(r.CreateActor(typeof(Grader)), new Ping());
        });

        Assert.Equal(
            new[]
            {
                "Write Debug checking ",
                "Write Info Grader(1) ",
                "WriteLine Warning late by 3 ticks",
                "WriteLine Error lost an order",
                "WriteLine Important Grader(1) done",
            },
            log.Lines);
    }

    [Fact]
    public void MemoryLogger_WithSeverity_KeepsTheTextAlone()
    {
        var memory = new MemoryLogger();
        Test(r =>
        {
            r.Logger = memory;
            r.SendEvent(r.CreateActor(typeof(Grader)), new Ping());
        });

        Assert.Equal("checking Grader(1) late by 3 ticks\nlost an order\nGrader(1) done\n", memory.ToString());
    }
}

/// <summary>Tests that replace <see cref="System.Console.Out"/> run alone, so no other test's output lands in what they capture.</summary>
[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture
{
}

[Collection(nameof(ConsoleCapture))]
public class ConsoleLoggerTests : BaseActorTest
{
    /// <summary>Runs <paramref name="write"/> with the console captured; returns what reached standard output and standard error.</summary>
    private static (string Out, string Error) Capture(System.Action write)
    {
        TextWriter savedOut = System.Console.Out;
        TextWriter savedError = System.Console.Error;
        var o = new StringWriter();
        var e = new StringWriter();
        System.Console.SetOut(o);
        System.Console.SetError(e);
        try
        {
            write();
        }
        finally
        {
            System.Console.SetOut(savedOut);
            System.Console.SetError(savedError);
        }

        return (o.ToString().ReplaceLineEndings("\n"), e.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ConsoleLogger_WritesToConsoleOut_AndErrorSeverityToConsoleError()
    {
        var (output, error) = Capture(() =>
        {
            ILogger logger = new ConsoleLogger();
            logger.Write("a");
            logger.WriteLine("b{0}", 1);
            logger.Write("c{0}", 2);
            logger.WriteLine("d");
            logger.WriteLine(LogSeverity.Info, "e{0}", 3);
            logger.Write(LogSeverity.Warning, "f");
            logger.WriteLine(LogSeverity.Debug, "g");
            logger.WriteLine(LogSeverity.Error, "h{0}", 4);
            logger.Write(LogSeverity.Important, "i");
            logger.WriteLine(LogSeverity.Important, "j");
        });

        Assert.Equal("ab1\nc2d\ne3\nfg\n", output);
        Assert.Equal("h4\nij\n", error);
    }

    [OnEventDoAction(typeof(Ping), nameof(OnPing))]
    private sealed class Announcer : Actor
    {
        private void OnPing() => Logger.WriteLine("{0} got a ping", Id);
    }

    [Fact]
    public void Runtime_LoggerSetToAConsoleLogger_PrintsTheModelsLines()
    {
        var (output, error) = Capture(() => Test(r =>
        {
            r.Logger = new ConsoleLogger();
            r.SendEvent(r.CreateActor(typeof(Announcer)), new Ping());
        }));

        Assert.Equal("Announcer(1) got a ping\n", output);
        Assert.Equal(string.Empty, error);
    }
}
