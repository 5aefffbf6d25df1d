namespace Verify.Harness;

/// <summary>
/// A live status line on a terminal, rewritten in place with a carriage return. Only made when the
/// output is the console and not redirected, so files and pipes receive nothing extra.
/// </summary>
internal sealed class Progress(TextWriter terminal)
{
    private readonly TextWriter output = terminal;
    private readonly object gate = new();
    private int shown;

    /// <summary>A progress line on <paramref name="stdout"/> if it is an interactive console; else null.</summary>
    internal static Progress? ForTerminal(TextWriter stdout) =>
        ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected ? new Progress(stdout) : null;

    /// <summary>A writer for output that goes above the live line: each write first erases the line, which the next tick draws again.</summary>
    internal TextWriter Above() => new AboveWriter(this);

    /// <summary>Shows <paramref name="line"/>'s text every half second until disposed, then clears it.</summary>
    internal IDisposable Every(Func<string> line) => new Ticker(this, line);

    internal void Show(string line)
    {
        lock (gate)
        {
            ShowLocked(line);
        }
    }

    private void ShowLocked(string line)
    {
        int width = Math.Max(20, SafeWidth() - 1);
        string text = line.Length > width ? line[..width] : line;
        output.Write("\r" + text.PadRight(shown));
        output.Flush();
        shown = text.Length;
    }

    internal void Clear()
    {
        lock (gate)
        {
            output.Write("\r" + new string(' ', shown) + "\r");
            output.Flush();
            shown = 0;
        }
    }

    private sealed class AboveWriter(Progress progress) : TextWriter
    {
        public override System.Text.Encoding Encoding => progress.output.Encoding;

        public override void Write(char value) => Locked(() => progress.output.Write(value));

        public override void Write(string? value) => Locked(() => progress.output.Write(value));

        public override void WriteLine(string? value) => Locked(() => progress.output.WriteLine(value));

        public override void Flush() => progress.output.Flush();

        private void Locked(Action write)
        {
            lock (progress.gate)
            {
                if (progress.shown > 0)
                {
                    progress.output.Write("\r" + new string(' ', progress.shown) + "\r");
                    progress.shown = 0;
                }

                write();
            }
        }
    }

    private sealed class Ticker : IDisposable
    {
        private readonly Progress progress;
        private readonly Func<string> line;
        private readonly System.Threading.Timer timer;
        private bool stopped;

        internal Ticker(Progress progress, Func<string> line)
        {
            this.progress = progress;
            this.line = line;
            timer = new System.Threading.Timer(_ => Tick(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
        }

        public void Dispose()
        {
            lock (progress.gate)
            {
                stopped = true;
                timer.Dispose();
            }

            progress.Clear();
        }

        private void Tick()
        {
            lock (progress.gate)
            {
                if (!stopped)
                {
                    progress.ShowLocked(line());
                }
            }
        }
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
