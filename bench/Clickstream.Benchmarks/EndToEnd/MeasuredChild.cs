using System.Diagnostics;
using System.Globalization;

namespace Clickstream.Benchmarks.EndToEnd;

/// <summary>
/// Runs one child process to completion and measures it from outside: wall time from start to exit, CPU time,
/// and peak resident memory. The peak is the kernel's high-water mark (<c>VmHWM</c> in <c>/proc/PID/status</c>),
/// read every 50 ms while the child runs, and raised to the exact <c>getrusage</c> figure when that one can be
/// attributed to this child. Output lines are echoed with a prefix as they arrive and kept for parsing.
/// </summary>
internal static class MeasuredChild
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static Result Run(string fileName, IReadOnlyList<string> arguments, string echoPrefix)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var lines = new List<string>();
        var gate = new Lock();
        void Echo(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                lines.Add(line);
                Console.WriteLine(echoPrefix + line);
            }
        }

        var before = ChildRusage.Read();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        long polledPeak = 0;
        var status = $"/proc/{process.Id}/status";
        while (!process.WaitForExit(PollInterval))
        {
            polledPeak = Math.Max(polledPeak, ReadHighWaterMark(status));
        }

        var wall = clock.Elapsed;

        // The parameterless wait also drains the redirected output.
        process.WaitForExit();
        var after = ChildRusage.Read();

        var peak = polledPeak;
        var source = "VmHWM polled every 50 ms";
        if (before is { } b && after is { } a && a.MaxRssBytes > b.MaxRssBytes && a.MaxRssBytes >= polledPeak)
        {
            peak = a.MaxRssBytes;
            source = "getrusage ru_maxrss";
        }

        TimeSpan? cpu = before is { } b2 && after is { } a2 ? a2.Cpu - b2.Cpu : null;
        string[] output;
        lock (gate)
        {
            output = [.. lines];
        }

        return new Result(process.ExitCode, wall, cpu, peak, source, output);
    }

    /// <summary>The <c>VmHWM</c> line in bytes, or 0 when the file is gone (the child exited) or has none.</summary>
    private static long ReadHighWaterMark(string statusPath)
    {
        try
        {
            foreach (var line in File.ReadLines(statusPath))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var digits = line.AsSpan(6).Trim().TrimEnd("kB").Trim();
                    return long.Parse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // Exited between the wait and the read.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
    }

    /// <summary>How the child went.</summary>
    /// <param name="ExitCode">The child's exit code.</param>
    /// <param name="Wall">From start to exit, as seen by the parent.</param>
    /// <param name="Cpu">User + system CPU time, when <c>getrusage</c> is available.</param>
    /// <param name="PeakRssBytes">Peak resident set size, 0 when it could not be read.</param>
    /// <param name="PeakSource">Where the peak figure came from.</param>
    /// <param name="Output">Standard output and error lines, in arrival order.</param>
    public sealed record Result(int ExitCode, TimeSpan Wall, TimeSpan? Cpu, long PeakRssBytes, string PeakSource, IReadOnlyList<string> Output);
}
