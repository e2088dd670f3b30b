using System.Diagnostics;
using System.Globalization;
using Clickstream.Aws;
using Clickstream.Aws.DynamoDb;
using Clickstream.Benchmarks.EndToEnd;
using Clickstream.Engine.Execution;
using Clickstream.Engine.Sinks;
using Clickstream.Engine.Sources;
using Clickstream.Jobs.Cli;
using Clickstream.Jobs.Dashboard;
using Clickstream.Jobs.Generate;
using Clickstream.Jobs.Store;
using Clickstream.Jobs.Streaming;

namespace Clickstream.Benchmarks.DynamoDb;

/// <summary>
/// The <c>dynamodb</c> mode: the DynamoDB aggregate store under the rows of realistic traffic (see
/// <see cref="DynamoDbBenchOptions.Usage"/>). Everything runs in this process: the generator, the query (recording
/// the store rows of each batch), then the store against the configured endpoint, one fresh table per write mode.
/// </summary>
internal static class DynamoDbBench
{
    private const double PartitionLimit = 1000;

    public static int Run(string[] args)
    {
        DynamoDbBenchOptions options;
        try
        {
            options = DynamoDbBenchOptions.Parse(args);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"dynamodb: {e.Message}");
            Console.Error.WriteLine();
            Console.Error.WriteLine(DynamoDbBenchOptions.Usage);
            return 2;
        }

        if (options.HelpRequested)
        {
            Console.WriteLine(DynamoDbBenchOptions.Usage);
            return 0;
        }

        return RunAsync(options).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(DynamoDbBenchOptions options)
    {
        var settings = AwsSettings.FromEnvironment();
        Console.WriteLine($"dynamodb: {MachineInfo.Describe()}");
        Console.WriteLine($"dynamodb: endpoint {settings.DynamoDbEndpoint?.ToString() ?? "AWS (no AWS_ENDPOINT_URL_DYNAMODB)"}; commit {MachineInfo.Commit()}");
        var work = options.Keep ?? Path.Combine(Path.GetTempPath(), "clickstream-ddb-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var events = (long)options.Rate * 60 * options.Minutes;
            var batches = await RecordAsync(options, work, events);
            var rows = 0L;
            foreach (var b in batches)
            {
                rows += b.Rows.Count;
            }

            var trafficSeconds = options.Minutes * 60.0;
            var baseOptions = AggregateStores.DynamoOptions(StoreLocation.Parse("dynamodb://bench"), settings.RetryDeadline) with
            {
                MaxConcurrentWrites = options.Writers,
                WriteShards = new Dictionary<string, int>(StringComparer.Ordinal) { [Metric.TopProducts] = options.Shards },
            };
            var load = PartitionLoad.Of(batches, baseOptions);
            var unsharded = PartitionLoad.Of(batches, baseOptions with { WriteShards = new Dictionary<string, int>(StringComparer.Ordinal) });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                dynamodb: {events:N0} events = {options.Rate:N0}/s for {options.Minutes} min, {batches.Count} batches of {options.BatchSeconds} s; {rows:N0} store rows emitted, {load.Items:N0} item writes after summing the ledger
                dynamodb: needed at {options.Rate:N0} events/s: {load.Items / trafficSeconds:N0} item writes/s, {load.Units / trafficSeconds:N0} WCU/s; {load.Units * 1e6 / events:N0} WCU per million events ({load.Items * 1e6 / events:N0} items)
                """));
            ReportKeys("top_products unsharded", unsharded, options);
            ReportKeys($"top_products in {options.Shards} shards", load, options);

            var exit = 0;
            foreach (var mode in options.Modes)
            {
                exit |= await MeasureAsync(settings, baseOptions with { AbsoluteWrites = mode }, batches, events, load, options);
            }

            return exit;
        }
        finally
        {
            if (options.Keep is null && Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static async Task<List<DynamoBatch>> RecordAsync(DynamoDbBenchOptions options, string work, long events)
    {
        var input = Path.Combine(work, "input");
        var files = Math.Max(1, options.Minutes * 60 / options.BatchSeconds);
        var clock = Stopwatch.StartNew();
        GenerateCommand.PrepareDirectory(input);
        GenerateCommand.Generate(
            new GenerateOptions { OutputDirectory = input, Events = events, Files = files, Minutes = options.Minutes, Seed = options.Seed },
            TextWriter.Null,
            CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dynamodb: generated {events:N0} events in {files} files in {clock.Elapsed.TotalSeconds:F1} s"));

        clock.Restart();
        var committed = DateTimeOffset.UtcNow;
        var batches = new List<DynamoBatch>();
        var source = new FileSource<JobInput>(input, () => new EventLineDecoder(), new FileSourceOptions { MaxFilesPerTrigger = 1 });
        var sink = new ForeachBatchSink<StoreRow>((id, rows) =>
        {
            var converted = new List<DynamoRow>(rows.Count);
            long? newest = null;
            foreach (var r in rows)
            {
                converted.Add(new DynamoRow(r.Metric, r.WindowStartMicros, r.WindowEndMicros, r.Key ?? string.Empty, r.Value, r.Sketch, r.Additive));
                if (!r.Additive && r.Metric == Metric.Events)
                {
                    newest = Math.Max(newest ?? long.MinValue, r.WindowEndMicros);
                }
            }

            batches.Add(new DynamoBatch("bench-query", id, converted, committed.AddSeconds(id * options.BatchSeconds)) { NewestWindowEndMicros = newest });
        });
        var definition = ClickstreamJob.Build(source, 10 * 60_000, new ForeachBatchSink<InvalidRecord>((_, _) => { }), sink);
        using (var query = StreamingQuery.Start(definition, new QueryOptions { CheckpointPath = Path.Combine(work, "checkpoint") }))
        {
            await query.RunAsync(Trigger.AvailableNow, CancellationToken.None);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dynamodb: the query emitted {batches.Count} batches in {clock.Elapsed.TotalSeconds:F1} s"));
        return batches;
    }

    private static void ReportKeys(string what, PartitionLoad load, DynamoDbBenchOptions options)
    {
        var p99 = load.Quantile(0.99);
        var s = (double)options.BatchSeconds;
        // A batch's writes may all land within one second, so the WCU one key takes in one batch is the worst one-second
        // rate; spread over the trigger interval it is the sustained rate.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dynamodb: per partition key, {what}: {load.Keys:N0} keys; per key and batch max {load.Max.Items:N0} writes / {load.Max.Units:N0} WCU (p99 {p99.Items:N0} / {p99.Units:N0}) against the {PartitionLimit:N0} WCU/s partition limit even if a batch lands within one second {(load.Max.Units < PartitionLimit ? "(under)" : "(OVER: hot partition)")}; sustained over the {options.BatchSeconds} s trigger max {load.Max.Items / s:N0} writes/s, p99 {p99.Items / s:N0}"));
    }

    private static async Task<int> MeasureAsync(AwsSettings settings, DynamoStoreOptions options, List<DynamoBatch> batches, long events, PartitionLoad load, DynamoDbBenchOptions bench)
    {
        using var client = AwsClients.DynamoDb(settings);
        var table = $"bench-{(options.AbsoluteWrites == AbsoluteWriteMode.BatchPut ? "put" : "update")}-{Guid.NewGuid().ToString("N")[..8]}";
        await DynamoAggregateStore.CreateTableAsync(client, table, CancellationToken.None);
        options = options with { Table = table };
        var store = DynamoAggregateStore.Open(client, options, TimeProvider.System);
        var reader = new DynamoDbAggregateStore(DynamoAggregateStore.Open(client, options, TimeProvider.System), $"dynamodb://{table}", null);
        var dashboard = StoreDashboardData.Over(reader, TimeProvider.System);

        var seconds = new List<double>();
        var busiest = (Items: 0L, Seconds: 0.0);
        var refreshQueries = new List<long>();
        var refreshUnits = new List<long>();
        var refreshSeconds = new List<double>();
        var total = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            var clock = Stopwatch.StartNew();
            await store.ApplyBatchAsync(batch, CancellationToken.None);
            var elapsed = clock.Elapsed.TotalSeconds;
            seconds.Add(elapsed);
            var one = PartitionLoad.Of([batch], options);
            if (one.Max.Items > busiest.Items)
            {
                busiest = (one.Max.Items, elapsed);
            }

            // The dashboard refreshes after every batch (its live feed sees the new version): 24 h metrics and health.
            var (queries, units) = (reader.Inner.Stats.PartitionQueries + reader.Inner.Stats.MetaQueries, reader.Inner.Stats.ReadUnits + reader.Inner.Stats.MetaQueries);
            clock.Restart();
            dashboard.GetVersion();
            dashboard.GetMetrics(TimeSpan.FromHours(24));
            dashboard.GetHealth(TimeSpan.FromHours(24));
            refreshSeconds.Add(clock.Elapsed.TotalSeconds);
            refreshQueries.Add(reader.Inner.Stats.PartitionQueries + reader.Inner.Stats.MetaQueries - queries);
            refreshUnits.Add(reader.Inner.Stats.ReadUnits + reader.Inner.Stats.MetaQueries - units);
        }

        var writeSeconds = 0.0;
        foreach (var s in seconds)
        {
            writeSeconds += s;
        }

        var stats = store.Stats;
        var items = stats.ItemsWritten;
        var needed = load.Items / (bench.Minutes * 60.0);
        var rowsPerSecond = items / writeSeconds;
        var sorted = seconds.Order().ToList();
        var replay = Stopwatch.StartNew();
        var again = DynamoAggregateStore.Open(client, options, TimeProvider.System);
        foreach (var batch in batches)
        {
            await again.ApplyBatchAsync(batch, CancellationToken.None);
        }

        var name = options.AbsoluteWrites == AbsoluteWriteMode.BatchPut ? "BatchWriteItem puts" : "conditional UpdateItem";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            dynamodb: mode {name}, {options.MaxConcurrentWrites} writers, table {table}
              wrote {items:N0} items in {writeSeconds:F1} s of batch writes = {rowsPerSecond:N0} items/s (needed {needed:N0}/s at {bench.Rate:N0} events/s: {rowsPerSecond / needed:F1}x headroom); {total.Elapsed.TotalSeconds:F1} s with the dashboard refreshes
              per batch: median {sorted[sorted.Count / 2]:F2} s, max {sorted[^1]:F2} s against a {bench.BatchSeconds} s trigger; {stats.WriteCalls:N0} write calls, {stats.UnprocessedItems:N0} unprocessed items resent, {store.Retry.Retries:N0} retries
              write units {stats.WriteUnits:N0} = {stats.WriteUnits * 1e6 / events:N0} WCU per million events; the busiest key took {busiest.Items:N0} writes in a batch written in {busiest.Seconds:F2} s
              replay of all {batches.Count} batches on a restarted store: {again.Stats.BatchesSkipped} skipped in {replay.Elapsed.TotalSeconds:F2} s
              dashboard refresh (24 h metrics + health + version) after each batch: median {Median(refreshQueries):N0} Queries, {Median(refreshUnits):N0} read units (estimated), {Median(refreshSeconds):F2} s; the first {refreshQueries[0]:N0} Queries / {refreshUnits[0]:N0} RCU, the largest {refreshQueries.Max():N0}
            """));
        return 0;
    }

    private static T Median<T>(List<T> values)
        where T : IComparable<T>
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
