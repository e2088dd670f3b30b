using System.Diagnostics;
using System.Globalization;
using Clickstream.Aws.Kinesis;
using Clickstream.Engine.Checkpointing;
using Clickstream.Engine.Execution;
using Clickstream.Engine.Sinks;
using Clickstream.Engine.Sources;
using Clickstream.Engine.Time;
using Clickstream.Jobs.Cli;
using Clickstream.Jobs.Locations;
using Clickstream.Jobs.RawTables;
using Clickstream.Jobs.Store;

namespace Clickstream.Jobs.Streaming;

/// <summary><c>clickstream stream</c>: runs the clickstream job over a folder of NDJSON files into the aggregate store.</summary>
internal sealed class StreamCommand : ICommand
{
    /// <summary>Batches of at most 256 MiB of input keep a backlog from being read into memory at once.</summary>
    public const long DefaultMaxBytesPerTrigger = 256L << 20;

    public string Name => "stream";

    public string Summary => "run the streaming job: NDJSON files → validated, deduplicated, windowed aggregates";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string>(StringComparer.Ordinal) { "quiet", "lake-manifests" };

    public string Usage => """
        usage: clickstream stream --input DIR|kinesis://STREAM --checkpoint DIR --store FILE|dynamodb://TABLE [options]

        Reads NDJSON event files (optionally .gz) from DIR as they appear, validates and deduplicates the events,
        and keeps one-minute window aggregates in a SQLite or DynamoDB store. Restarting on the same checkpoint continues
        exactly where it stopped; a killed run leaves no partial effect.

          --input DIR                  folder of event files (hidden and *.tmp files are ignored)
          --input kinesis://STREAM     a Kinesis data stream (NDJSON records, as the collector's Kinesis sink
                                       writes them); every shard is read, a split's children after their parents
          --checkpoint DIR|s3://B/P    checkpoint folder or S3 prefix (offsets, commits, state, progress; the
                                       quarantine too when there is no --lake)
          --store FILE|dynamodb://T    aggregate store: a SQLite file (created if missing) or an existing DynamoDB
                                       table (`clickstream aws init --table T`); dynamodb://T?ttl=48h keeps minute
                                       rows 48 h after their window (default 24h), &writers=N sets parallel writes
          --lake DIR|s3://B/P          also write every valid, non-duplicate event to the Delta table DIR/events
                                       and every invalid line to the Delta table DIR/quarantine (created if
                                       missing; exactly once per batch); on S3, commits are conditional PUTs
          --lake-manifests             when creating the lake tables, turn on Redshift Spectrum symlink manifests
                                       (regenerated after every commit)
          --trigger T                  available-now | once | an interval such as 10s (default: 10s)
          --watermark D                event-time watermark delay (default: 10m)
          --max-files-per-trigger N    at most N new files per batch (default: no limit)
          --max-bytes-per-trigger B    about B bytes of new files per batch, at least one file (default: 268435456 =
                                       256 MiB, which bounds memory to well under 1 GiB; 0 = no limit)
          --quiet                      no per-batch progress lines
        """;

    public async Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var input = args.RequiredString("input");
        var checkpoint = Location.Parse("--checkpoint", args.RequiredString("checkpoint"));
        var storePath = args.RequiredString("store");
        var trigger = ParseTrigger(args.String("trigger") ?? "10s");
        var watermarkText = args.String("watermark") ?? "10m";
        long watermarkMs;
        try
        {
            watermarkMs = IntervalParser.ParseMilliseconds(watermarkText);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--watermark: {e.Message}");
        }

        var maxFiles = args.Long("max-files-per-trigger", 0, 0, int.MaxValue);
        var maxBytes = args.Long("max-bytes-per-trigger", DefaultMaxBytesPerTrigger, 0);
        var quiet = args.Flag("quiet");
        var lake = args.String("lake") is { } lakeText ? Location.Parse("--lake", lakeText) : null;
        var lakeManifests = args.Flag("lake-manifests");
        args.EnsureAllUsed();
        if (lakeManifests && lake is null)
        {
            throw new UsageException("--lake-manifests needs --lake");
        }

        var fromKinesis = KinesisNames.IsStreamLocation(input);
        if (!fromKinesis && !Directory.Exists(input))
        {
            throw new UsageException($"input folder {input} does not exist");
        }

        var sourceOptions = new FileSourceOptions
        {
            MaxFilesPerTrigger = maxFiles > 0 ? (int)maxFiles : null,
            MaxBytesPerTrigger = maxBytes > 0 ? maxBytes : null,
        };
        // Every location is checked before anything is written or the first batch runs: a typo'd bucket or a missing
        // grant is one clear line now, not a failure after the first batch has been planned.
        using var aws = new AwsContext();
        var kinesis = fromKinesis ? await KinesisLocation.OpenAsync(aws, input, cancellationToken) : default;
        checkpoint.Check(aws, cancellationToken);
        lake?.Check(aws, cancellationToken);
        using var store = AggregateStores.Open(storePath, readOnly: false, cancellationToken: cancellationToken);
        var storeSink = new StoreSink(store, TimeProvider.System, watermarkMs);
        var checkpointStore = checkpoint.CheckpointStore(aws);
        var lakeSinks = lake is null ? null : LakeSinks.Open(lake, aws, lakeManifests);
        IBatchSink<InvalidRecord> quarantine = lakeSinks?.Quarantine ?? (IBatchSink<InvalidRecord>)new QuarantineSink(new CheckpointFolder(checkpointStore, "quarantine"));
        Func<ILineDecoder<JobInput>> decoder = () => new EventLineDecoder(keepRawLines: lakeSinks is not null);
        IStreamSource<JobInput> source = fromKinesis
            ? new KinesisSource<JobInput>(kinesis.Client, kinesis.Stream, decoder, new KinesisSourceOptions { MaxBytesPerTrigger = maxBytes > 0 ? maxBytes : long.MaxValue })
            : new FileSource<JobInput>(input, decoder, sourceOptions);
        var definition = ClickstreamJob.Build(source, watermarkMs, quarantine, storeSink, lakeSinks?.Events);

        long rows = 0;
        long batches = 0;
        var options = new QueryOptions
        {
            CheckpointStore = checkpointStore,
            OnProgress = p =>
            {
                rows += p.NumInputRows;
                batches++;
                if (!quiet)
                {
                    output.WriteLine(p.ToSummary());
                }
            },
        };

        var clock = Stopwatch.StartNew();
        using var query = StreamingQuery.Start(definition, options);
        storeSink.QueryId = query.Id;
        lakeSinks?.SetQueryId(query.Id);
        output.WriteLine($"clickstream stream: query {query.Id}, starting at batch {query.NextBatchId}, watermark {QueryProgress.FormatMs(query.WatermarkMs)}, trigger {args.String("trigger") ?? "10s"}");
        await query.RunAsync(trigger, cancellationToken);
        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"clickstream stream: {batches} batches, {rows:N0} input rows in {seconds:F2} s ({rows / seconds:N0} rows/s); next batch {query.NextBatchId}, watermark {QueryProgress.FormatMs(query.WatermarkMs)}"));
        if (Environment.GetEnvironmentVariable("CLICKSTREAM_PROFILE") == "1")
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gc: gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms, allocated {GC.GetTotalAllocatedBytes() / (1 << 20):N0} MiB"));
        }

        if (lakeSinks is not null)
        {
            output.WriteLine(lakeSinks.Summary());
        }

        if (storeSink.BatchesSkipped > 0)
        {
            output.WriteLine($"clickstream stream: {storeSink.BatchesSkipped} replayed batch(es) were already in the store and skipped");
        }

        return 0;
    }

    private static Trigger ParseTrigger(string text)
    {
        try
        {
            return Trigger.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--trigger must be available-now, once or an interval: {e.Message}");
        }
    }
}
