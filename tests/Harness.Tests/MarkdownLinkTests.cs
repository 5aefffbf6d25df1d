using System.Text.RegularExpressions;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>
/// The README and docs/ are read from a clone: every relative link (and every `../` path quoted in
/// code) must name a file or directory inside the repository, and a <c>#anchor</c> a heading there.
/// </summary>
public sealed partial class MarkdownLinkTests
{
    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"`(?<path>\.\./[^`\s]+)`")]
    private static partial Regex QuotedParentPath();

    [GeneratedRegex(@"^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"^#{1,6}\s+(?<title>.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    /// <summary>Words that state the exclusion of Coyote's task-based testing (its rewriting of <c>Task</c>).</summary>
    [GeneratedRegex(@"task-based|rewrit\w*\s+(of\s+)?`?task", RegexOptions.IgnoreCase)]
    private static partial Regex TaskTestingExclusion();

    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string> { "README.md" };
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Repo.Root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Repo.Root, file).Replace('\\', '/'));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryRelativeLink_ResolvesInsideTheRepository(string document)
    {
        string path = Path.Combine(Repo.Root, document);
        string text = FencedCode().Replace(File.ReadAllText(path), string.Empty);
        var broken = new List<string>();
        foreach (Match m in Link().Matches(text))
        {
            string target = m.Groups["target"].Value;
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            string? problem = Check(path, target);
            if (problem is not null)
            {
                broken.Add($"{target}: {problem}");
            }
        }

        foreach (Match m in QuotedParentPath().Matches(text))
        {
            string? problem = Check(path, m.Groups["path"].Value);
            if (problem is not null)
            {
                broken.Add($"`{m.Groups["path"].Value}`: {problem}");
            }
        }

        Assert.True(broken.Count == 0, $"{document} has {broken.Count} references that do not resolve inside the repository:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void WritingAModel_LeadsToCoyoteCompat_TheOnlyPageThatExcludesTaskTesting()
    {
        Assert.Contains("[docs/models.md](docs/models.md): writing a model", File.ReadAllText(Path.Combine(Repo.Root, "README.md")), StringComparison.Ordinal);
        Assert.Contains("](coyote-compat.md)", File.ReadAllText(Path.Combine(Repo.Root, "docs", "models.md")), StringComparison.Ordinal);

        IEnumerable<string> pages = new[] { Path.Combine(Repo.Root, "README.md") }
            .Concat(new[] { "docs", "src", "tests" }.SelectMany(d => Directory.EnumerateFiles(Path.Combine(Repo.Root, d), "*.md", SearchOption.AllDirectories)))
            .Select(f => Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal));
        string[] stating = pages.Where(f => TaskTestingExclusion().IsMatch(File.ReadAllText(Path.Combine(Repo.Root, f)))).ToArray();

        Assert.Equal(["docs/coyote-compat.md"], stating);
    }

    [Fact]
    public void Check_RejectsAPathOutsideTheRepository_AndAMissingAnchor()
    {
        string readme = Path.Combine(Repo.Root, "README.md");
        Assert.Equal("points outside the repository", Check(readme, "../shared/ENGINE.md"));
        Assert.Equal("no such file or directory", Check(readme, "docs/no-such-file.md"));
        Assert.Equal("docs/cli.md has no heading for #no-such-heading", Check(readme, "docs/cli.md#no-such-heading"));
        Assert.Null(Check(readme, "docs/cli.md#running-verify-test"));
    }

    /// <summary>Null when <paramref name="target"/>, relative to <paramref name="from"/>, resolves; else what is wrong.</summary>
    private static string? Check(string from, string target)
    {
        int hash = target.IndexOf('#');
        string file = hash < 0 ? target : target[..hash];
        string? anchor = hash < 0 ? null : target[(hash + 1)..];
        string resolved = file.Length == 0 ? from : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(from)!, Uri.UnescapeDataString(file)));
        string root = Path.GetFullPath(Repo.Root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (!resolved.StartsWith(root, StringComparison.Ordinal) && resolved + Path.DirectorySeparatorChar != root)
        {
            return "points outside the repository";
        }

        if (!File.Exists(resolved) && !Directory.Exists(resolved))
        {
            return "no such file or directory";
        }

        if (anchor is null || !resolved.EndsWith(".md", StringComparison.Ordinal))
        {
            return null;
        }

        bool found = Heading().Matches(FencedCode().Replace(File.ReadAllText(resolved), string.Empty)).Any(h => Slug(h.Groups["title"].Value) == anchor);
        return found ? null : $"{Path.GetRelativePath(Repo.Root, resolved).Replace('\\', '/')} has no heading for #{anchor}";
    }

    /// <summary>GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static string Slug(string title) =>
        string.Concat(title.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')).Replace(' ', '-');
}
