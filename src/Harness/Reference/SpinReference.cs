using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Verify.Harness.Reference;

/// <summary>
/// SPIN on the filter lock, in the same `verify bench` run: writes the Promela model that
/// <see cref="FilterLock"/> follows, generates the verifier (<c>spin -a</c>), compiles it without
/// reduction (<c>cc -O2 -DSAFETY -DNOREDUCE</c>, plus the store's flag), runs it (<c>pan -m1000000</c>) as often as the
/// bench asks and reads the counts of the fastest run. A machine without spin or a C compiler gets a row saying so (Debian: apt-get install spin gcc).
/// </summary>
internal sealed partial class SpinReference(string dir, string model, string flags, string runArgs, string? failed) : IDisposable
{
    private string? failed = failed;
    private double seconds = double.MaxValue;
    private string output = string.Empty;
    private readonly List<double> times = [];

    private const string Promela = """
        byte level[N], victim[N], ncrit;
        active [N] proctype P() {
          byte l, k;
          l = 1; goto loop;
        again: l = 1;
        loop: do
          :: l < N -> level[_pid] = l; victim[l] = _pid; k = 0;
               do :: k == _pid -> k++
                  :: k != _pid && k < N -> (level[k] < l || victim[l] != _pid); k++
                  :: k >= N -> break
               od; l++
          :: else -> break
          od;
          ncrit++; assert(ncrit == 1); ncrit--; level[_pid] = 0; goto again
        }
        """;

    /// <summary>
    /// Writes the model for <paramref name="processes"/> processes to a fresh directory and builds
    /// its verifier. The caller runs it (<see cref="RunOnce"/>) as often as it likes, interleaved
    /// with its own runs, and asks for the row of the fastest (<see cref="Row"/>).
    /// </summary>
    /// <remarks>
    /// The verifier keeps its states as the Verify row it stands beside does: exactly by default;
    /// with <see cref="StateStore.HashCompact64"/> by hash compaction (<c>-DHC4</c>, SPIN's
    /// nearest); with <see cref="StateStore.Bitstate"/> in a bitstate table of the same 2^w bits
    /// (<c>-DBITSTATE</c>, <c>pan -w</c>).
    /// </remarks>
    internal static SpinReference Prepare(int processes, StateStore store = StateStore.HashCompact96, int log2Bits = 28)
    {
        string dir = Path.Combine(Path.GetTempPath(), "verify-spin-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "filter.pml"), $"#define N {processes}\n{Promela}\n");
        string flags = store switch
        {
            StateStore.HashCompact64 => "-DSAFETY -DNOREDUCE -DHC4",
            StateStore.Bitstate => "-DSAFETY -DNOREDUCE -DBITSTATE",
            _ => "-DSAFETY -DNOREDUCE",
        };
        string runArgs = store == StateStore.Bitstate ? string.Create(CultureInfo.InvariantCulture, $"-m1000000 -w{log2Bits}") : "-m1000000";
        string? failed = Run(dir, "spin", "-a filter.pml", out _)
            ?? Run(dir, "cc", $"-O2 {flags} -o pan pan.c", out _);
        return new SpinReference(dir, $"filter lock, {processes} processes", flags, runArgs, failed);
    }

    /// <summary>The compiler flags and pan's arguments, as the row names them.</summary>
    internal string Flags => $"cc -O2 {flags}; pan {runArgs}";

    /// <summary>pan's elapsed time of each run, in order.</summary>
    internal IReadOnlyList<double> Times => times;

    /// <summary>False when spin or the C compiler is missing or failed.</summary>
    internal bool Available => failed is null;

    /// <summary>Runs the verifier once (<c>pan -m1000000</c>), keeping the output of the fastest run so far.</summary>
    internal void RunOnce()
    {
        if (failed is not null)
        {
            return;
        }

        failed = Run(dir, Path.Combine(dir, "pan"), runArgs, out string o);
        if (failed is null)
        {
            double t = double.Parse(TimeRe().Match(o).Groups[1].Value, CultureInfo.InvariantCulture);
            times.Add(t);
            if (t < seconds)
            {
                (seconds, output) = (t, o);
            }
        }
    }

    /// <summary>The bench table row of the fastest run, and its rate (0 when SPIN could not run).</summary>
    internal (string[] Cells, double StatesPerSecond) Row()
    {
        if (failed is not null || times.Count == 0)
        {
            return ([model, "SPIN", "-", "-", "-", "-", "-", "-", "-", failed ?? "not run"], 0);
        }

        var c = CultureInfo.InvariantCulture;
        long states = Number(StatesRe().Match(output));
        long transitions = Number(TransitionsRe().Match(output));
        long depth = Number(DepthRe().Match(output));
        double mb = double.Parse(MemoryRe().Match(output).Groups[1].Value, c);
        double rate = seconds > 0 ? states / seconds : 0;
        return (
        [
            model, $"SPIN (spin -a; {Flags}), best of {times.Count}", states.ToString("N0", c), transitions.ToString("N0", c), depth.ToString("N0", c),
            seconds.ToString("F1", c) + " s", rate.ToString("N0", c), seconds > 0 ? (transitions / seconds).ToString("N0", c) : "-",
            mb.ToString("N0", c) + " MB", "exhausted, no bug (pan's own count)",
        ], rate);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Runs a tool in <paramref name="dir"/>; null on success, else why it could not.</summary>
    private static string? Run(string dir, string file, string args, out string output)
    {
        output = string.Empty;
        var psi = new ProcessStartInfo(file, args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using Process p = Process.Start(psi)!;
            Task<string> err = p.StandardError.ReadToEndAsync();
            output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? null : $"{Path.GetFileName(file)} failed (exit {p.ExitCode}): {err.Result.Split('\n')[0]}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"not measured: {Path.GetFileName(file)} is not installed (apt-get install spin gcc)";
        }
    }

    private static long Number(Match m) => m.Success ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"(\d+) states, stored")]
    private static partial Regex StatesRe();

    [GeneratedRegex(@"(\d+) transitions \(= stored\+matched\)")]
    private static partial Regex TransitionsRe();

    [GeneratedRegex(@"depth reached (\d+)")]
    private static partial Regex DepthRe();

    [GeneratedRegex(@"elapsed time ([0-9.e+-]+) seconds")]
    private static partial Regex TimeRe();

    [GeneratedRegex(@"([0-9.]+)\s+total actual memory usage")]
    private static partial Regex MemoryRe();
}
