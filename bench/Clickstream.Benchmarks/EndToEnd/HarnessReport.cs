using System.Globalization;
using Clickstream.Jobs.Generate;

namespace Clickstream.Benchmarks.EndToEnd;

/// <summary>Prints the harness's figures: the job's details, the comparison table, the targets and a Markdown row for the docs.</summary>
internal static class HarnessReport
{
    /// <summary>The throughput floor: NDJSON files to the store.</summary>
    public const double FloorEventsPerSecond = 500_000;

    /// <summary>The ceiling for the deduplication state, bytes per key.</summary>
    public const double MaxDedupBytesPerKey = 32;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void PrintJobDetails(EngineRun run, StreamProgress progress, long lines)
    {
        Console.WriteLine(Format($"  {progress.Batches} batches, {progress.InputRows:N0} input rows; largest batch {progress.LargestBatchRows:N0} rows:"));
        Console.WriteLine("    " + string.Join(", ", progress.LargestBatchDurations.Select(d => Format($"{d.Phase} {d.Ms:N0} ms"))));
        Console.WriteLine(Format($"  dedup state at the end: {progress.DedupKeys:N0} keys, {progress.DedupBytes:N0} bytes = {progress.DedupBytesPerKey ?? double.NaN:F1} B/key"));
        Console.WriteLine(Format($"  wall {run.Child.Wall.TotalSeconds:F2} s → {lines / Math.Max(run.Child.Wall.TotalSeconds, 1e-3):N0} events/s; peak RSS {Mib(run.Child.PeakRssBytes)} ({run.Child.PeakSource})"));
    }

    public static void PrintSummary(Run run)
    {
        var lines = run.Counts.Lines;
        var runs = run.Job.Runs.Count;
        Console.WriteLine();
        Console.WriteLine(Format($"== {lines:N0} lines, {run.Bytes / 1e6:N1} MB in {run.Files} NDJSON files ({run.Counts}) =="));
        Console.WriteLine(runs == 1
            ? "one run of each engine"
            : Format($"{runs} runs of each engine: median shown, wall-time range in brackets; peak RSS is the largest"));
        Console.WriteLine();
        Console.WriteLine(Format($"{"",-26} {"wall s",8} {"range",15} {"events/s",10} {"CPU s",6} {"ev/CPU-s",9} {"peak RSS",10}  in-process"));
        PrintRow(run.Job, lines);
        if (run.Duck is { } duck)
        {
            PrintRow(duck, lines);
        }

        double? ratio = run.Duck is { } d ? run.Job.EventsPerSecond(lines) / d.EventsPerSecond(lines) : null;
        if (ratio is { } r)
        {
            Console.WriteLine(Format($"ratio (clickstream / DuckDB events per second, medians): {r:F2}×"));
        }

        if (run.Restart is { } restart)
        {
            Console.WriteLine(Format($"restart on the same checkpoint (state recovery, no new data): {restart.Wall.TotalSeconds:F2} s wall, {Seconds(restart.Cpu)} CPU s, peak RSS {Mib(restart.PeakRssBytes)}"));
        }

        if (run.DuckResult is { } dr)
        {
            Console.WriteLine(Format($"DuckDB bare scan of the same files (reference only): {dr.ScanMs / 1000.0:F2} s = {lines / Math.Max(dr.ScanMs / 1000.0, 1e-3):N0} lines/s"));
        }

        Console.WriteLine();
        var expected = run.Counts.Valid + run.Counts.Late;
        Console.WriteLine(Format($"distinct valid events: generator {expected:N0}, clickstream store {Count(run.StoreEvents)}, DuckDB {Count(run.DuckResult?.Events)}"));
        if (run.StoreEvents is { } s && s != expected)
        {
            Console.WriteLine(Format($"  WARNING: the job's store counts {s - expected:+#;-#;0} events against the generator"));
        }

        if (run.DuckResult is { } duckCount && duckCount.Events != expected)
        {
            Console.WriteLine(Format($"  DuckDB differs by {duckCount.Events - expected:+#;-#;0}; a known cause: its NDJSON reader lets a line cut off right after a \"key\": run on into the next line, so both are lost"));
        }

        var eventsPerSecond = run.Job.EventsPerSecond(lines);
        var perKey = run.Progress.DedupBytesPerKey;
        Console.WriteLine();
        Console.WriteLine("targets:");
        Target("≥ 500,000 events/s, NDJSON files → store", Format($"{eventsPerSecond:N0}/s"), eventsPerSecond >= FloorEventsPerSecond);
        Target("faster than DuckDB (goal)", ratio is { } x ? Format($"{x:F2}×") : "not run", ratio is { } y ? y > 1 : null);
        Target("dedup state ≤ 32 B/key", perKey is { } p ? Format($"{p:F1} B/key") : "n/a", perKey is { } q ? q <= MaxDedupBytesPerKey : null);

        Console.WriteLine();
        Console.WriteLine("Markdown row for docs/performance.md (end-to-end results):");
        var duckCells = run.Duck is { } dd ? Cells(dd, lines) : "– | – | – | –";
        var ratioCell = ratio is { } rr ? Format($"{rr:F2}×") : "–";
        Console.WriteLine(Format(
            $"| {DateTime.UtcNow:yyyy-MM-dd} | {run.Commit} | {lines:N0} | {runs} | {Cells(run.Job, lines)} | {perKey ?? double.NaN:F1} | {duckCells} | {ratioCell} | {Load(run.Job.Median.Load)} / {Load(run.Duck?.Median.Load)} |"));
    }

    /// <summary>wall s (range) | events/s | CPU s | peak RSS.</summary>
    private static string Cells(Engine e, long lines) =>
        Format($"{e.Median.Child.Wall.TotalSeconds:F2}{Range(e)} | {e.EventsPerSecond(lines):N0} | {Seconds(e.Median.Child.Cpu)} | {Mib(e.PeakRssBytes)}");

    private static void PrintRow(Engine e, long lines)
    {
        var median = e.Median;
        var perCpu = median.Child.Cpu is { } c ? Format($"{lines / Math.Max(c.TotalSeconds, 1e-3):N0}") : "?";
        var inProcess = median.InProcessSeconds is { } s ? Format($"{s:F2} s = {lines / s:N0} events/s") : "?";
        Console.WriteLine(Format($"{e.Name,-26} {median.Child.Wall.TotalSeconds,8:F2} {Range(e),15} {e.EventsPerSecond(lines),10:N0} {Seconds(median.Child.Cpu),6} {perCpu,9} {Mib(e.PeakRssBytes),10}  {inProcess}"));
    }

    private static string Range(Engine e) =>
        e.Runs.Count == 1 ? string.Empty : Format($" [{e.Runs.Min(r => r.Child.Wall.TotalSeconds):F2}–{e.Runs.Max(r => r.Child.Wall.TotalSeconds):F2}]");

    private static void Target(string what, string measured, bool? met)
    {
        var verdict = met switch
        {
            true => "met",
            false => "NOT met",
            null => "not measured",
        };
        Console.WriteLine(Format($"  {what,-42} {measured,14}  {verdict}"));
    }

    private static string Mib(long bytes) => bytes > 0 ? Format($"{bytes / (1024.0 * 1024):N0} MiB") : "?";

    private static string Seconds(TimeSpan? t) => t is { } v ? Format($"{v.TotalSeconds:F1}") : "?";

    private static string Count(long? n) => n is { } v ? Format($"{v:N0}") : "?";

    private static string Load(double? load) => load is { } l ? Format($"{l:F1}") : "?";

    private static string Format(FormattableString s) => s.ToString(Invariant);

    /// <summary>One run of one engine: measured from outside, its own in-process timing, and the load when it started.</summary>
    public sealed record EngineRun(MeasuredChild.Result Child, double? InProcessSeconds, double? Load);

    /// <summary>Every run of one engine; the figures are the median run's (by wall time).</summary>
    public sealed record Engine(string Name, IReadOnlyList<EngineRun> Runs)
    {
        public EngineRun Median => Runs.OrderBy(r => r.Child.Wall).ElementAt((Runs.Count - 1) / 2);

        public long PeakRssBytes => Runs.Max(r => r.Child.PeakRssBytes);

        public double EventsPerSecond(long lines) => lines / Math.Max(Median.Child.Wall.TotalSeconds, 1e-3);
    }

    /// <summary>Everything the summary needs.</summary>
    public sealed record Run(string Commit, GenerationCounts Counts, long Bytes, int Files, Engine Job, StreamProgress Progress, long? StoreEvents, Engine? Duck, DuckDbBaseline.Result? DuckResult, MeasuredChild.Result? Restart);
}
