namespace Verify.Harness;

/// <summary>Plain-text tables with aligned columns, for summaries a terminal or a Markdown file can show.</summary>
internal static class Table
{
    internal static void Write(TextWriter w, IReadOnlyList<string> header, IReadOnlyList<string[]> rows) =>
        Protocols.MarkdownTable.Write(w, header, rows);
}
