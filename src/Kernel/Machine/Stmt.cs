namespace Verify.Kernel.Machine;

/// <summary>
/// One statement of kernel code: task and interrupt code is an iterator of these, one per step.
/// A plain string converts to a plain statement; the text names the statement for the trace.
/// </summary>
public readonly struct Stmt
{
    private Stmt(StmtKind kind, string text, IEnumerable<Stmt>? callee)
    {
        Kind = kind;
        Text = text;
        Callee = callee;
    }

    public StmtKind Kind { get; }

    public string Text { get; }

    /// <summary>The called function's code, for <see cref="StmtKind.Call"/>.</summary>
    public IEnumerable<Stmt>? Callee { get; }

    public static implicit operator Stmt(string text) => new(StmtKind.Plain, text, null);

    public static Stmt LongWork(string text) => new(StmtKind.LongWork, text, null);

    public static Stmt Call(IEnumerable<Stmt> callee) => new(StmtKind.Call, string.Empty, callee);

    public static Stmt Halt(string text) => new(StmtKind.Halt, text, null);

    public static Stmt RunGuest(string text) => new(StmtKind.RunGuest, text, null);

    public static Stmt RunUser(string text) => new(StmtKind.RunUser, text, null);

    public static Stmt Sleep(string text) => new(StmtKind.Sleep, text, null);

    public static Stmt Spin(string text) => new(StmtKind.Spin, text, null);

    public override string ToString() => Text;
}
