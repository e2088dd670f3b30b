using System.Diagnostics;
using System.Globalization;
using Clickstream.Jobs.Cli;

namespace Clickstream.Jobs.Generate;

/// <summary><c>clickstream generate</c>: writes deterministic, realistic NDJSON landing files for local runs and tests.</summary>
internal sealed class GenerateCommand : ICommand
{
    private const long MaxEvents = 1_000_000_000;
    private const int MaxFiles = 100_000;
    private const int MaxMinutes = 366 * 24 * 60;
    private const long ProgressFrom = 100_000;

    public string Name => "generate";

    public string Summary => "write deterministic sample event files (NDJSON)";

    public string Usage => """
        usage: clickstream generate --out DIR --events N [options]

        Writes N lines of sample clickstream events as NDJSON landing files, like the collector lands them:
        sessions with a purchase funnel, Zipf-popular products, returning users, client retries (duplicates),
        invalid lines and late events. The same options always produce byte-identical files.

          --out DIR              folder to write into; created if missing; must hold no events-*.ndjson files
          --events N             lines to write, of every kind (valid + duplicates + invalid + late), N >= 1
          --seed S               random seed (default 42)
          --start ISO            start of the event-time range (default 2026-11-01T12:00:00Z)
          --minutes M            length of the event-time range in minutes (default 10)
          --duplicate-rate R     share of lines that repeat a line from the last minute, 0 <= R < 1 (default 0.02)
          --invalid-rate R       share of lines that fail validation, 0 <= R < 1 (default 0.005)
          --late-rate R          share of lines 15-45 minutes older than their neighbours, 0 <= R < 1 (default 0.002)
          --files K              number of files, 1 <= K <= N (default 4)
          --gzip                 write events-NNNNN.ndjson.gz instead of events-NNNNN.ndjson
          --help                 show this text

        Files are named events-00000.ndjson, events-00001.ndjson, ... in stream order, written under a .tmp name
        and renamed, with modification times increasing in the same order.
        """;

    public IReadOnlySet<string> Flags { get; } = new HashSet<string>(StringComparer.Ordinal) { "gzip" };

    public Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = ParseOptions(args);
        PrepareDirectory(options.OutputDirectory);
        Generate(options, output, cancellationToken);
        return Task.FromResult(0);
    }

    internal static GenerateOptions ParseOptions(CommandLine args)
    {
        var options = new GenerateOptions
        {
            OutputDirectory = args.RequiredString("out"),
            Events = args.Long("events", -1, 1, MaxEvents),
            Seed = unchecked((ulong)args.Long("seed", 42)),
            Start = args.Instant("start") ?? GenerateOptions.DefaultStart,
            Minutes = (int)args.Long("minutes", 10, 1, MaxMinutes),
            DuplicateRate = Rate(args, "duplicate-rate", 0.02),
            InvalidRate = Rate(args, "invalid-rate", 0.005),
            LateRate = Rate(args, "late-rate", 0.002),
            Files = (int)args.Long("files", 4, 1, MaxFiles),
            Gzip = args.Flag("gzip"),
        };
        args.EnsureAllUsed();

        if (options.Events < 0)
        {
            throw new UsageException("option --events is required");
        }

        if (options.Files > options.Events)
        {
            throw new UsageException($"option --files ({options.Files}) cannot be more than --events ({options.Events})");
        }

        if (options.DuplicateRate + options.InvalidRate + options.LateRate >= 1)
        {
            throw new UsageException("the duplicate, invalid and late rates must add up to less than 1");
        }

        // Late events reach 45 minutes back; keep every timestamp a plain four-digit-year instant after the epoch.
        if (options.Start < DateTimeOffset.UnixEpoch.AddHours(1) || options.Start.Year > 9000)
        {
            throw new UsageException($"option --start must be between 1970-01-01T01:00:00Z and year 9000, got {options.Start:O}");
        }

        return options;
    }

    /// <summary>Creates the folder, and refuses one that already holds event files rather than mixing two streams.</summary>
    internal static void PrepareDirectory(string directory)
    {
        Directory.CreateDirectory(directory);
        var existing = Directory.GetFiles(directory, "events-*.ndjson*");
        if (existing.Length > 0)
        {
            Array.Sort(existing, StringComparer.Ordinal);
            throw new UsageException(
                $"{directory} already holds {existing.Length} events-*.ndjson file(s), such as {Path.GetFileName(existing[0])}; " +
                "use an empty folder or delete them first");
        }
    }

    internal static GenerationCounts Generate(GenerateOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var generator = new EventGenerator(options);
        var progressStep = options.Events >= ProgressFrom ? options.Events / 10 : long.MaxValue;
        var nextProgress = progressStep;
        var modified = DateTime.MinValue;
        long bytes = 0;

        for (var file = 0; file < options.Files; file++)
        {
            var end = options.Events * (file + 1) / options.Files;
            using var writer = new EventFileWriter(options.OutputDirectory, file, options.Gzip);
            while (generator.Counts.Lines < end)
            {
                writer.WriteLine(generator.NextLine(out _));
                if ((generator.Counts.Lines & 0x1FFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (generator.Counts.Lines >= nextProgress)
                {
                    nextProgress += progressStep;
                    output.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"  {100 * generator.Counts.Lines / options.Events,3}%  {generator.Counts.Lines}/{options.Events} lines"));
                }
            }

            modified = FileTime(options, file, modified);
            bytes += writer.Complete(modified);
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"generated {generator.Counts} ({generator.Sessions} sessions, {generator.Users} users); " +
            $"{options.Files} files, {bytes} bytes in {options.OutputDirectory} ({stopwatch.Elapsed.TotalSeconds:F1} s)"));
        return generator.Counts;
    }

    /// <summary>
    /// The end of the file's slice of event time, in whole seconds and at least a second after the previous file,
    /// so that modification-time order is name order even on file systems with coarse timestamps.
    /// </summary>
    private static DateTime FileTime(GenerateOptions options, int file, DateTime previous)
    {
        var sliceEnd = options.Start.UtcDateTime.AddMinutes((double)options.Minutes * (file + 1) / options.Files);
        var seconds = new DateTime(sliceEnd.Ticks - (sliceEnd.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc).AddSeconds(1);
        return seconds > previous ? seconds : previous.AddSeconds(1);
    }

    private static double Rate(CommandLine args, string name, double defaultValue)
    {
        var rate = args.Double(name, defaultValue, 0, 1);
        return rate < 1 ? rate : throw new UsageException($"option --{name} must be at least 0 and less than 1, got {rate}");
    }
}
