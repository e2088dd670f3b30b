using System.Globalization;
using System.Runtime.InteropServices;

namespace Clickstream.Benchmarks.EndToEnd;

/// <summary>The machine a run happened on, and how busy it was: figures from a loaded machine are not comparable.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var cpu = "unknown CPU";
        if (File.Exists("/proc/cpuinfo"))
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    cpu = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                    break;
                }
            }
        }

        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, {cpu}, {memory:F0} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    }

    /// <summary>
    /// The short commit id of the repository we run in, with "+" when the product folders (src, jobs, udfs) have
    /// uncommitted changes, so a result row says what was measured; "?" outside a repository.
    /// </summary>
    public static string Commit()
    {
        var head = Git("rev-parse", "--short", "HEAD");
        if (head is not { Length: > 0 })
        {
            return "?";
        }

        var changes = Git("status", "--porcelain", "--untracked-files=no", "--", "src", "jobs", "udfs");
        return changes is { Length: > 0 } ? head + "+" : head;
    }

    private static string? Git(params string[] args)
    {
        try
        {
            var info = new System.Diagnostics.ProcessStartInfo("git", args)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            using var git = System.Diagnostics.Process.Start(info);
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>The 1-minute load average, or null where <c>/proc/loadavg</c> does not exist.</summary>
    public static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A line noting the load, with a warning when other work competes for the cores.</summary>
    public static string LoadNote()
    {
        if (LoadAverage() is not { } load)
        {
            return "load average unknown";
        }

        var busy = load > Environment.ProcessorCount * 0.5
            ? " — other processes are using the cores; throughput figures will be low"
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"load average {load:F2} on {Environment.ProcessorCount} cores{busy}");
    }
}
