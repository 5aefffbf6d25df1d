using System.Collections.Concurrent;
using System.Reflection;
using Verify.Actors;
using Verify.Runtime;

namespace Verify.StateSpace;

/// <summary>
/// Hashes where an actor suspended in <c>ReceiveEventAsync</c> will resume: the chain of compiler-generated
/// async state machines from its handler down to the receive, each with its resume point
/// (<c>&lt;&gt;1__state</c>), parameters and hoisted locals. Two actors suspended at the same await
/// with equal locals are in the same state. A continuation cannot be cloned, so a snapshot of such
/// a state stays usable only while the receive has not completed; the search re-executes otherwise.
/// </summary>
internal static class Continuations
{
    private const ulong SuspendedTag = 0x53555350454E4445UL;
    private const ulong ReceiveTag = 0x5245434549564521UL;
    private static readonly ConcurrentDictionary<Type, Machine?> Machines = new();

    internal static void Hash(Actor a, StateHasher h)
    {
        ReceiveRequest request = a.Receiving!;
        h.Add(SuspendedTag);
        h.Add((ulong)request.Types.Length);
        foreach (Type t in request.Types)
        {
            h.AddType(t);
        }

        if (request.Predicate is { } predicate)
        {
            h.AddType(predicate.Method.DeclaringType);
            h.AddString(predicate.Method.Name);
            h.Visit(predicate.Target, "predicate", -1);
        }

        h.Visit(a.SuspendedEvent, "handledEvent", -1);
        h.AddBool(a.InitializationSuspended);
        Task? task = a.SuspendedHandler;
        for (int level = 0; ; level++)
        {
            if (ReferenceEquals(task, request.Task))
            {
                h.Add(ReceiveTag);
                return;
            }

            Machine? machine = task is null ? null : Machines.GetOrAdd(task.GetType(), Machine.Build);
            if (machine is null || level > 256)
            {
                throw h.Fail($"is suspended inside an async handler; stateful search needs handlers that complete "
                    + $"(it awaits {(task is null ? "nothing the engine can see" : TypeShape.Name(task.GetType()))}, which is neither an async method nor ReceiveEventAsync). "
                    + "Await ReceiveEventAsync directly, or turn the wait into a state that handles the event");
            }

            object stateMachine = machine.Read(task!);
            h.Add(machine.Token);
            h.Push(machine.Method, -1);
            machine.Hash(stateMachine, h);
            h.Pop();
            task = machine.Awaited(stateMachine);
        }
    }

    /// <summary>One async method's state machine type, read through the box the runtime keeps it in.</summary>
    private sealed class Machine
    {
        private readonly FieldInfo box;
        private readonly (FieldInfo Awaiter, FieldInfo Task)[] awaiters;

        private Machine(FieldInfo box, Type type, (FieldInfo, FieldInfo)[] awaiters, Action<object, StateHasher> hash)
        {
            this.box = box;
            this.awaiters = awaiters;
            Token = TypeShape.TokenOf(type);
            Method = TypeShape.FieldDisplayName(type.Name);
            Hash = hash;
        }

        internal ulong Token { get; }

        /// <summary>The async method's name, for error paths.</summary>
        internal string Method { get; }

        internal Action<object, StateHasher> Hash { get; }

        internal object Read(Task t) => box.GetValue(t)!;

        /// <summary>The task the method is awaiting: the one non-default awaiter field holds it.</summary>
        internal Task? Awaited(object stateMachine)
        {
            foreach ((FieldInfo awaiter, FieldInfo task) in awaiters)
            {
                object? value = awaiter.GetValue(stateMachine);
                if (value is not null && task.GetValue(value) is Task t)
                {
                    return t;
                }
            }

            return null;
        }

        internal static Machine? Build(Type boxType)
        {
            // AsyncTaskMethodBuilder keeps an async method's state in AsyncStateMachineBox<T>.StateMachine.
            FieldInfo? box = boxType.GetField("StateMachine", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            if (box is null || !typeof(System.Runtime.CompilerServices.IAsyncStateMachine).IsAssignableFrom(box.FieldType))
            {
                return null;
            }

            Type type = box.FieldType;
            var awaiters = new List<(FieldInfo, FieldInfo)>();
            var hashed = new List<FieldInfo>();
            foreach (FieldInfo f in TypeShape.Fields(type, null))
            {
                if (f.Name.StartsWith("<>u__", StringComparison.Ordinal))
                {
                    FieldInfo? task = f.FieldType.GetField("m_task", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
                    if (task is not null && typeof(Task).IsAssignableFrom(task.FieldType))
                    {
                        awaiters.Add((f, task));
                    }
                }
                else if (f.Name != "<>t__builder" && TypeShape.IsHashed(f))
                {
                    hashed.Add(f);
                }
            }

            // The resume point, parameters, `this` and hoisted locals, hashed like any object's fields.
            return new Machine(box, type, awaiters.ToArray(), FieldHashers.Selected(type, hashed));
        }
    }
}
