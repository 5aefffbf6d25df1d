using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace Verify.Harness.Tests;

/// <summary>
/// `verify replay --html` and `--perfetto` on committed KVM/RCU traces: lanes per CPU and context,
/// the jiffies, the monitor's window or hot stretch, the bug step, the folded prefix, and the Chrome
/// trace events, checked against the readable trace of the same replay.
/// </summary>
public sealed partial class KernelTraceViewTests : IDisposable
{
    // rcuc/1 woken at jiffies 102, the vCPU (migrated to cpu1) re-enters at 103: a window, two CPUs and a migration.
    private const string Migrated = "traces/kvm-rcu/C.VcpuMigrated.NoRcucWakeupBeforeReentry.trace";

    // A suppression at jiffies 102 that no re-entry follows: the monitor is hot from it to the bug.
    private const string Suppressed = "traces/kvm-rcu/C.GuestHlt.NoSuppressionWithoutReentry.trace";

    private readonly string outDir = Path.Combine(Path.GetTempPath(), "verify-kernel-view-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(outDir))
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public void Html_HasLanesPerCpuAndContext_NotPerActor_AndEveryStatementWhole()
    {
        Replay r = Run(Migrated);
        XDocument page = XDocument.Parse(r.Html);
        Assert.Equal(
            ["cpu0 vcpu0", "cpu0 migration/0", "cpu0 swapper/0", "cpu0 [irq]", "cpu1 vcpu0", "cpu1 rcuc/1", "cpu1 swapper/1", "cpu1 [irq]",
             "hk updater", "hk call_rcu", "hk rcu_sched", "hk do_timer"],
            WithClass(page, "lh").Select(e => (string)e.Attribute("data-lane")!));
        Assert.Equal(["cpu0", "cpu1", "hk"], WithClass(page, "ph").Select(e => e.Value));
        Assert.DoesNotContain("handles the default event", r.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(WithClass(page, "lh"), e => e.Value.Contains("CpuMachine", StringComparison.Ordinal));

        // Each statement the CPUs logged is in its CPU's column, whole, with its context's name.
        var columns = WithClass(page, "text").ToLookup(e => (string)e.Attribute("data-place")!, e => e);
        foreach ((int step, string place, string context, string text) in r.Statements)
        {
            XElement row = page.Descendants().Single(e => WithClassName(e, "row") && (string?)e.Attribute("data-step") == step.ToString(CultureInfo.InvariantCulture));
            XElement cell = row.Elements().Single(e => WithClassName(e, "text") && (string?)e.Attribute("data-place") == place);
            Assert.Contains(cell.Elements(), s => s.Value == context + text);
        }

        Assert.NotEmpty(columns["cpu1"]);
    }

    [Fact]
    public void Html_MarksTheJiffies_TheWindow_AndTheBugStepWithItsTrigger()
    {
        Replay r = Run(Migrated);
        XDocument page = XDocument.Parse(r.Html);
        var rows = page.Descendants().Where(e => WithClassName(e, "row") && e.Attribute("data-step") is not null).ToList();

        // A rule and the new value at each do_timer().
        Assert.Equal(r.Ticks, rows.Where(e => WithClassName(e, "tick")).Select(e => ((int)e.Attribute("data-step")!, (int)e.Attribute("data-jiffies")!)));
        Assert.All(rows.Where(e => WithClassName(e, "tick")), e => Assert.Equal((string)e.Attribute("data-jiffies")!, e.Elements().ElementAt(1).Value));

        // Shaded from the wakeup that opened the window to the bug.
        int opens = r.Step("monitor NoRcucWakeupBeforeReentry: window cpu1 opens");
        Assert.Equal(Enumerable.Range(opens, r.BugStep - opens + 1), rows.Where(e => WithClassName(e, "window")).Select(e => (int)e.Attribute("data-step")!));

        XElement bug = Assert.Single(rows, e => WithClassName(e, "bug"));
        Assert.Equal(r.BugStep, (int)bug.Attribute("data-step")!);
        XElement cell = bug.Elements().Single(e => WithClassName(e, "text") && (string?)e.Attribute("data-place") == "cpu1");
        Assert.Contains("triggered when NoRcucWakeupBeforeReentry observes GuestEnter(Cpu=1, Jiffies=103)", cell.Value, StringComparison.Ordinal);
        Assert.Contains($"BUG {r.Bug}", cell.Value, StringComparison.Ordinal);
        Assert.Contains($"BUG at step {r.BugStep}, jiffies 103, on cpu1: {r.Bug}", page.Descendants().Single(e => WithClassName(e, "bug-summary")).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_ShadesTheHotStretch_AndOpensNearIt_WithThePrefixFolded()
    {
        Replay r = Run(Suppressed);
        XDocument page = XDocument.Parse(r.Html);
        int hot = r.Step("monitor NoSuppressionWithoutReentry: Accurate -> AwaitingReentry (hot)");
        var rows = page.Descendants().Where(e => WithClassName(e, "row") && e.Attribute("data-step") is not null).ToList();
        Assert.Equal(Enumerable.Range(hot, r.BugStep - hot + 1), rows.Where(e => WithClassName(e, "hot")).Select(e => (int)e.Attribute("data-step")!));
        Assert.All(rows.Where(e => WithClassName(e, "hot")), e => Assert.Contains("hot", (string)e.Elements().Last().Attribute("class")!, StringComparison.Ordinal));

        // The steps before the lead-in are folded; the first step shown is at most 48 before the hot one.
        XElement details = page.Descendants().Single(e => e.Name.LocalName == "details");
        var folded = details.Descendants().Where(e => e.Attribute("data-step") is not null).Select(e => (int)e.Attribute("data-step")!).ToList();
        int first = rows.Select(e => (int)e.Attribute("data-step")!).First(s => !folded.Contains(s));
        Assert.Equal(Enumerable.Range(0, first), folded);
        Assert.InRange(hot - first, 1, 48);
        Assert.Contains($"shortly before NoSuppressionWithoutReentry's window cpu0 opens at step {hot}", details.Elements().First().Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Perfetto_IsChromeTraceEventJson_WithAThreadPerContext_ASlicePerStep_TheJiffies_AndTheBug()
    {
        Replay r = Run(Migrated);
        using JsonDocument json = JsonDocument.Parse(r.Json);
        JsonElement[] events = [.. json.RootElement.GetProperty("traceEvents").EnumerateArray()];
        Assert.Equal(r.TestName, json.RootElement.GetProperty("otherData").GetProperty("test").GetString());
        foreach (JsonElement e in events)
        {
            Assert.Equal(JsonValueKind.String, e.GetProperty("ph").ValueKind);
            Assert.Equal(JsonValueKind.Number, e.GetProperty("ts").ValueKind);
            Assert.True(e.GetProperty("pid").GetInt32() > 0);
            Assert.True(e.GetProperty("tid").GetInt32() >= 0);
        }

        var processes = events.Where(e => Ph(e) == "M" && Name(e) == "process_name").ToDictionary(e => e.GetProperty("pid").GetInt32(), e => Arg(e, "name"));
        Assert.Equal(["cpu0", "cpu1", "hk", "model (no CPU)", "monitors"], processes.Values);
        var threads = events.Where(e => Ph(e) == "M" && Name(e) == "thread_name")
            .ToDictionary(e => (e.GetProperty("pid").GetInt32(), e.GetProperty("tid").GetInt32()), e => $"{processes[e.GetProperty("pid").GetInt32()]} {Arg(e, "name")}");
        Assert.Contains("cpu1 rcuc/1", threads.Values);
        Assert.Contains("cpu0 [irq]", threads.Values);
        Assert.Contains("hk do_timer", threads.Values);

        // One-microsecond slices at each step's index, each on a named thread, each statement on its CPU's context.
        var slices = events.Where(e => Ph(e) == "X").ToList();
        Assert.Equal(Enumerable.Range(0, r.BugStep + 1), slices.Select(s => s.GetProperty("ts").GetInt32()).Distinct().Order());
        Assert.All(slices, s => Assert.True(threads.ContainsKey((s.GetProperty("pid").GetInt32(), s.GetProperty("tid").GetInt32()))));
        foreach ((int step, string place, string context, string text) in r.Statements)
        {
            Assert.Contains(slices, s => s.GetProperty("ts").GetInt32() == step
                && threads[(s.GetProperty("pid").GetInt32(), s.GetProperty("tid").GetInt32())] == $"{place} {context}"
                && Arg(s, "text") == text);
        }

        // The jiffies: a counter from the value before the first tick, and on every slice.
        Assert.Equal([r.Ticks[0].Jiffies - 1, .. r.Ticks.Select(t => t.Jiffies)], events.Where(e => Ph(e) == "C").Select(e => e.GetProperty("args").GetProperty("jiffies").GetInt32()));
        Assert.All(slices, s => Assert.True(s.GetProperty("args").TryGetProperty("jiffies", out _)));

        JsonElement window = Assert.Single(events, e => Ph(e) == "b");
        Assert.Equal("NoRcucWakeupBeforeReentry window cpu1", Name(window));
        Assert.Single(events, e => Ph(e) == "e" && e.GetProperty("id").GetInt32() == window.GetProperty("id").GetInt32());

        JsonElement bug = Assert.Single(events, e => Ph(e) == "i" && e.GetProperty("s").GetString() == "g");
        Assert.Equal($"BUG: {r.Bug}", Name(bug));
        Assert.Equal(r.BugStep, (int)bug.GetProperty("ts").GetDouble());
        Assert.Equal("cpu1 vcpu0", threads[(bug.GetProperty("pid").GetInt32(), bug.GetProperty("tid").GetInt32())]);
    }

    [Fact]
    public void Perfetto_ToADirectory_ExitsOneBeforeReplaying()
    {
        Directory.CreateDirectory(outDir);
        var o = new StringWriter();
        var e = new StringWriter();
        ExitCode code = Cli.Run(["replay", Path.Combine(Repo.Root, Migrated), "--perfetto", outDir], o, e);
        Assert.Equal(ExitCode.Error, code);
        Assert.Equal($"verify: --perfetto {outDir} is a directory; give the file to write.\n", e.ToString());
        Assert.Empty(o.ToString());
    }

    private static IEnumerable<XElement> WithClass(XDocument doc, string cls) => doc.Descendants().Where(e => WithClassName(e, cls));

    private static bool WithClassName(XElement e, string cls) => ((string?)e.Attribute("class") ?? string.Empty).Split(' ').Contains(cls);

    private static string Ph(JsonElement e) => e.GetProperty("ph").GetString()!;

    private static string Name(JsonElement e) => e.GetProperty("name").GetString()!;

    private static string Arg(JsonElement e, string name) => e.GetProperty("args").GetProperty(name).GetString()!;

    private Replay Run(string trace)
    {
        Directory.CreateDirectory(outDir);
        string html = Path.Combine(outDir, "page.html");
        string json = Path.Combine(outDir, "trace.json");
        var o = new StringWriter();
        var e = new StringWriter();
        ExitCode code = Cli.Run(["replay", Path.Combine(Repo.Root, trace), "--log", "--html", html, "--perfetto", json], o, e);
        Assert.True(code == ExitCode.BugFound, $"exit {code}\n{o}\n{e}");
        return new Replay(o.ToString(), File.ReadAllText(html), File.ReadAllText(json));
    }

    [GeneratedRegex(@"^\[ *(?<step>[0-9]+)\]   log: (?<place>cpu[0-9]+|hk) (?<ctx>\S+): (?<text>.*)$")]
    private static partial Regex StatementLine();

    /// <summary>A replay's readable trace (from --log) and the two views it wrote.</summary>
    private sealed class Replay(string output, string html, string json)
    {
        private readonly string[] lines = output.Split('\n');

        internal string Html { get; } = html;

        internal string Json { get; } = json;

        internal string TestName => lines.Single(l => l.StartsWith("Replayed ", StringComparison.Ordinal)).Split(" against ")[1].Split(':')[0].Split(' ')[0];

        internal string Bug => lines.Single(l => l.StartsWith("Reproduced ", StringComparison.Ordinal))["Reproduced    ".Length..];

        internal int BugStep => Step("BUG ");

        /// <summary>The statements the CPUs logged: step, CPU, context, text (a softirq's text starts with __do_softirq).</summary>
        internal IEnumerable<(int Step, string Place, string Context, string Text)> Statements =>
            lines.Select(l => StatementLine().Match(l)).Where(m => m.Success).Select(m =>
            {
                string text = m.Groups["text"].Value;
                return (int.Parse(m.Groups["step"].Value, CultureInfo.InvariantCulture), m.Groups["place"].Value,
                    text.StartsWith("__do_softirq", StringComparison.Ordinal) ? "softirq" : m.Groups["ctx"].Value, text);
            });

        internal List<(int Step, int Jiffies)> Ticks => Statements.Where(s => s.Text.StartsWith("jiffies = ", StringComparison.Ordinal))
            .Select(s => (s.Step, int.Parse(s.Text["jiffies = ".Length..], CultureInfo.InvariantCulture))).ToList();

        /// <summary>The step of the first readable-trace line whose text starts with <paramref name="text"/>.</summary>
        internal int Step(string text)
        {
            string line = lines.First(l => l.Length > 8 && l[8..].TrimStart().StartsWith(text.TrimStart(), StringComparison.Ordinal));
            return int.Parse(line[1..6], CultureInfo.InvariantCulture);
        }
    }
}
