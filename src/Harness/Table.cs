namespace Verify.Harness;

/// <summary>Plain-text tables with aligned columns, for summaries a terminal or a Markdown file can show.</summary>
internal static class Table
{
    internal static void Write(TextWriter w, IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
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
