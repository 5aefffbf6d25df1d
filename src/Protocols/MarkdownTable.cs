namespace Verify.Protocols;

/// <summary>Markdown tables with aligned columns, readable as plain text on a terminal too: the statistics documents and the command line's summaries.</summary>
public static class MarkdownTable
{
    public static void Write(TextWriter w, IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        int[] width = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        w.WriteLine(Line(header, width));
        w.WriteLine("| " + string.Join(" | ", width.Select(n => new string('-', n))) + " |");
        foreach (string[] r in rows)
        {
            w.WriteLine(Line(r, width));
        }
    }

    private static string Line(IReadOnlyList<string> cells, int[] width) =>
        "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(width[i]))) + " |";
}
