using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Clickstream.Jobs.Cli;
using Clickstream.Jobs.Generate;

namespace Clickstream.Benchmarks.EndToEnd;

/// <summary>
/// The end-to-end throughput harness: generate N events → run the job over them as a child process → run the
/// DuckDB baseline over the same files as another child process (both repeated <c>--runs</c> times, alternating)
/// → print the median of each, the ratio and the targets.
/// Any failing step makes the exit code non-zero; missing a target does not (this measures, it does not gate).
/// </summary>
internal static partial class EndToEndHarness
{
    public static int Run(string[] args)
    {
        HarnessOptions options;
        try
        {
            options = HarnessOptions.Parse(args);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"e2e: {e.Message}");
            Console.Error.WriteLine();
            Console.Error.WriteLine(HarnessOptions.Usage);
            return 2;
        }

        if (options.HelpRequested)
        {
            Console.WriteLine(HarnessOptions.Usage);
            return 0;
        }

        var work = options.Keep is { } keep
            ? Path.GetFullPath(keep)
            : Path.Combine(Path.GetTempPath(), "clickstream-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            return RunIn(options, work);
        }
        catch (Exception e) when (e is UsageException or IOException or InvalidDataException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"e2e: failed: {e.Message}");
            return 1;
        }
        finally
        {
            if (options.Keep is null)
            {
                TryDelete(work);
            }
            else
            {
                Console.WriteLine($"e2e: kept {work}");
            }
        }
    }

    private static int RunIn(HarnessOptions options, string work)
    {
        var input = Path.Combine(work, "input");
        Console.WriteLine($"e2e: {MachineInfo.Describe()}");
        Console.WriteLine($"e2e: work folder {work}; job {options.ClickstreamDll}");

        // Read before the runs: the tree may move on while they take place.
        var commit = MachineInfo.Commit();
        Console.WriteLine($"e2e: commit {commit} (\"+\": src, jobs or udfs had uncommitted changes)");

        Step("1", string.Create(CultureInfo.InvariantCulture, $"generating {options.Events:N0} events into {options.Files} files (seed {options.Seed}), in-process"));
        GenerateCommand.PrepareDirectory(input);
        var generateClock = Stopwatch.StartNew();
        var counts = GenerateCommand.Generate(
            new GenerateOptions { OutputDirectory = input, Events = options.Events, Files = options.Files, Seed = options.Seed },
            Console.Out,
            CancellationToken.None);
        long bytes = 0;
        foreach (var file in Directory.GetFiles(input, "events-*.ndjson"))
        {
            bytes += new FileInfo(file).Length;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  generated in {generateClock.Elapsed.TotalSeconds:F1} s; the files are now in the page cache for every run"));

        // Rounds alternate the two engines so that a burst of load elsewhere on the machine hits both alike.
        var jobRuns = new List<HarnessReport.EngineRun>();
        var duckRuns = new List<HarnessReport.EngineRun>();
        StreamProgress? progress = null;
        long? storeEvents = null;
        DuckDbBaseline.Result? duckResult = null;
        string[] streamArgs = [];
        for (var round = 1; round <= options.Runs; round++)
        {
            var suffix = options.Runs == 1 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"-{round}");
            var checkpoint = Path.Combine(work, "checkpoint" + suffix);
            var store = Path.Combine(work, "store" + suffix + ".db");
            Step(Round("2", round, options.Runs), "clickstream stream --trigger available-now --quiet (child process)");
            var load = MachineInfo.LoadAverage();
            Console.WriteLine("  " + MachineInfo.LoadNote());
            var lake = Path.Combine(work, "lake" + suffix);
            streamArgs = [options.ClickstreamDll, "stream", "--input", input, "--checkpoint", checkpoint, "--store", store, "--trigger", "available-now", "--quiet", .. options.Lake ? new[] { "--lake", lake } : []];
            var ours = MeasuredChild.Run(DotnetHost(), streamArgs, "  | ");
            if (ours.ExitCode != 0)
            {
                Console.Error.WriteLine($"e2e: clickstream stream exited with code {ours.ExitCode}");
                return 1;
            }

            progress = StreamProgress.Read(checkpoint);
            storeEvents = StoreCheck.CountedEvents(store);
            var jobRun = new HarnessReport.EngineRun(ours, InProcessSeconds(ours.Output), load);
            jobRuns.Add(jobRun);
            HarnessReport.PrintJobDetails(jobRun, progress, counts.Lines);
            if (options.Lake)
            {
                LakeCheck.Print(lake);
            }

            if (options.SkipDuckDb)
            {
                continue;
            }

            Step(Round("3", round, options.Runs), "DuckDB baseline on the same files (child process)");
            load = MachineInfo.LoadAverage();
            Console.WriteLine("  " + MachineInfo.LoadNote());
            var run = MeasuredChild.Run(
                DotnetHost(),
                [typeof(EndToEndHarness).Assembly.Location, DuckDbBaseline.ChildMode, "--input", input, "--dedup", options.DuckDbDedup],
                "  | ");
            duckResult = DuckDbBaseline.ParseResult(run.Output);
            if (run.ExitCode != 0 || duckResult is null)
            {
                Console.Error.WriteLine($"e2e: the DuckDB baseline failed (exit code {run.ExitCode})");
                return 1;
            }

            duckRuns.Add(new HarnessReport.EngineRun(run, duckResult.Ms / 1000.0, load));
        }

        MeasuredChild.Result? restart = null;
        if (options.Restart)
        {
            Step("4", "restarting clickstream stream on the last checkpoint, no new data (child process)");
            restart = MeasuredChild.Run(DotnetHost(), streamArgs, "  | ");
            if (restart.ExitCode != 0)
            {
                Console.Error.WriteLine($"e2e: the restarted clickstream stream exited with code {restart.ExitCode}");
                return 1;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  recovery: {restart.Wall.TotalSeconds:F2} s wall, peak RSS {restart.PeakRssBytes / (1024.0 * 1024):N0} MiB"));
        }

        var job = new HarnessReport.Engine("clickstream stream", jobRuns);
        var duck = duckRuns.Count > 0 ? new HarnessReport.Engine($"DuckDB (dedup: {options.DuckDbDedup})", duckRuns) : null;
        HarnessReport.PrintSummary(new HarnessReport.Run(commit, counts, bytes, options.Files, job, progress!, storeEvents, duck, duckResult, restart));
        return 0;
    }

    private static string Round(string step, int round, int rounds) =>
        rounds == 1 ? step : string.Create(CultureInfo.InvariantCulture, $"{step}, round {round}/{rounds}");

    private static void Step(string step, string what) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{step}] {DateTime.Now:HH:mm:ss} {what}"));

    /// <summary>The job's own timing from its last line ("N input rows in S s"), which leaves out process start-up.</summary>
    private static double? InProcessSeconds(IReadOnlyList<string> output)
    {
        for (var i = output.Count - 1; i >= 0; i--)
        {
            var m = StreamSummary().Match(output[i]);
            if (m.Success)
            {
                return double.Parse(m.Groups[1].ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>The <c>dotnet</c> host: the one running us when we were started through it, else the one on PATH.</summary>
    private static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"e2e: could not delete {dir}: {e.Message}");
        }
    }

    [GeneratedRegex(@"input rows in ([0-9]+(?:\.[0-9]+)?) s")]
    private static partial Regex StreamSummary();
}
