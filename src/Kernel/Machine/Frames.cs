namespace Verify.Kernel.Machine;

/// <summary>Runs a stack of code frames (a task's or an interrupt's), innermost last, one statement at a time.</summary>
public static class Frames
{
    /// <summary>
    /// The next statement: a call pushes the callee and runs its first statement in the same step;
    /// a frame that ends returns to its caller in the same step. False when the bottom frame has ended.
    /// </summary>
    public static bool Next(List<IEnumerator<Stmt>> frames, out Stmt stmt)
    {
        while (frames.Count > 0)
        {
            IEnumerator<Stmt> frame = frames[^1];
            if (!frame.MoveNext())
            {
                frames.RemoveAt(frames.Count - 1);
                continue;
            }

            stmt = frame.Current;
            if (stmt.Kind == StmtKind.Call)
            {
                frames.Add(stmt.Callee!.GetEnumerator());
                continue;
            }

            return true;
        }

        stmt = default;
        return false;
    }

    /// <summary>
    /// <paramref name="code"/> one statement per step, as a CPU runs it: each call's statements in its
    /// place, each run when the enumeration reaches it (<see cref="Next"/> on a stack of its own).
    /// </summary>
    public static IEnumerable<Stmt> Flatten(IEnumerable<Stmt> code)
    {
        var frames = new List<IEnumerator<Stmt>> { code.GetEnumerator() };
        while (Next(frames, out Stmt stmt))
        {
            yield return stmt;
        }
    }
}
