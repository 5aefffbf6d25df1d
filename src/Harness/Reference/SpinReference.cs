using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Verify.Harness.Reference;

/// <summary>
/// SPIN on the filter lock, in the same `verify bench` run: writes the Promela model that
/// <see cref="FilterLock"/> follows, generates the verifier (<c>spin -a</c>), compiles it without
/// reduction (<c>cc -O2 -DSAFETY -DNOREDUCE</c>), runs it three times (<c>pan -m1000000</c>) and reads the
/// counts of the fastest run. A machine without spin or a C compiler gets a row saying so (Debian: apt-get install spin gcc).
/// </summary>
internal static partial class SpinReference
{
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

    private const int Runs = 3;

    /// <summary>A bench table row for SPIN on the filter lock with <paramref name="processes"/> processes.</summary>
    internal static (string[] Cells, double StatesPerSecond) Measure(int processes)
    {
        string model = $"filter lock, {processes} processes";
        string dir = Path.Combine(Path.GetTempPath(), "verify-spin-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "filter.pml"), $"#define N {processes}\n{Promela}\n");
            string output = string.Empty;
            string? failed = Run(dir, "spin", "-a filter.pml", out _)
                ?? Run(dir, "cc", "-O2 -DSAFETY -DNOREDUCE -o pan pan.c", out _);
            var c = CultureInfo.InvariantCulture;
            double seconds = double.MaxValue;

            // The best of three runs: the reference should not look slow because of a noisy moment.
            for (int run = 0; run < Runs && failed is null; run++)
            {
                failed = Run(dir, Path.Combine(dir, "pan"), "-m1000000", out string o);
                if (failed is null && double.Parse(TimeRe().Match(o).Groups[1].Value, c) is double t && t < seconds)
                {
                    (seconds, output) = (t, o);
                }
            }

            if (failed is not null)
            {
                return ([model, "SPIN", "-", "-", "-", "-", "-", "-", "-", failed], 0);
            }

            long states = Number(StatesRe().Match(output));
            long transitions = Number(TransitionsRe().Match(output));
            long depth = Number(DepthRe().Match(output));
            double mb = double.Parse(MemoryRe().Match(output).Groups[1].Value, c);
            double rate = seconds > 0 ? states / seconds : 0;
            return (
            [
                model, $"SPIN (spin -a; cc -O2 -DSAFETY -DNOREDUCE), best of {Runs}", states.ToString("N0", c), transitions.ToString("N0", c), depth.ToString("N0", c),
                seconds.ToString("F1", c) + " s", rate.ToString("N0", c), seconds > 0 ? (transitions / seconds).ToString("N0", c) : "-",
                mb.ToString("N0", c) + " MB", "exhausted, no bug (pan's own count)",
            ], rate);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
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
