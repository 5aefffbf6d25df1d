namespace Verify.Harness;

/// <summary>
/// A live status line on a terminal, rewritten in place with a carriage return. Only made when the
/// output is the console and not redirected, so files and pipes receive nothing extra.
/// </summary>
internal sealed class Progress(TextWriter terminal)
{
    private int shown;

    /// <summary>A progress line on <paramref name="stdout"/> if it is an interactive console; else null.</summary>
    internal static Progress? ForTerminal(TextWriter stdout) =>
        ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected ? new Progress(stdout) : null;

    internal void Show(string line)
    {
        int width = Math.Max(20, SafeWidth() - 1);
        string text = line.Length > width ? line[..width] : line;
        terminal.Write("\r" + text.PadRight(shown));
        terminal.Flush();
        shown = text.Length;
    }

    internal void Clear()
    {
        terminal.Write("\r" + new string(' ', shown) + "\r");
        terminal.Flush();
        shown = 0;
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
