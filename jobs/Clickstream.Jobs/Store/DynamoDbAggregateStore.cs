using Clickstream.Aws.DynamoDb;
using Clickstream.Engine.Sketches;
using Clickstream.Jobs.Streaming;

namespace Clickstream.Jobs.Store;

/// <summary>
/// <see cref="IAggregateStore"/> over the DynamoDB store of the Aws library: turns the job's rows into its rows and
/// computes the dashboard's figures from the partitions it reads (the SQL the SQLite store runs, done here). The
/// engine's sink interface is synchronous, so each call waits for the store's asynchronous one; neither the console
/// nor ASP.NET Core has a synchronization context, so this cannot deadlock. Reads may come from several threads.
/// </summary>
internal sealed class DynamoDbAggregateStore(DynamoAggregateStore store, string location, IDisposable? owned, bool readOnly = false) : IAggregateStore
{
    // Everything SumsByKey reads: every metric but active_users.
    private static readonly string[] Summed = [Metric.Events, Metric.PageViews, Metric.TopProducts, Metric.Funnel, Metric.Late, Metric.Duplicates, Metric.Invalid];
    private static readonly string[] ActiveUsersOnly = [Metric.ActiveUsers];
    private static readonly string[] EventsOnly = [Metric.Events];
    private static readonly string[] Ledger = [Metric.Events, Metric.Duplicates, Metric.Invalid, Metric.Late];

    public string Kind => "dynamodb";

    public string Location => location;

    /// <summary>The store underneath (benchmarks and tests read its counters).</summary>
    internal DynamoAggregateStore Inner => store;

    public long LastBatchId(string queryId) => store.LastBatchIdAsync(queryId, CancellationToken.None).GetAwaiter().GetResult();

    public bool ApplyBatch(string queryId, long batchId, IReadOnlyList<StoreRow> rows, DateTimeOffset now, long? watermarkMicros)
    {
        if (readOnly)
        {
            // As the read-only SQLite store: a batch it already holds is skipped, anything else cannot be written.
            return LastBatchId(queryId) >= batchId ? false : throw new InvalidOperationException($"the aggregate store {location} was opened read-only");
        }

        var converted = new List<DynamoRow>(rows.Count);
        long? newest = null;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            converted.Add(new DynamoRow(row.Metric, row.WindowStartMicros, row.WindowEndMicros, row.Key ?? string.Empty, row.Value, row.Sketch, row.Additive));
            if (!row.Additive && row.Metric == Metric.Events && (newest is not { } n || row.WindowEndMicros > n))
            {
                newest = row.WindowEndMicros;
            }
        }

        var batch = new DynamoBatch(queryId, batchId, converted, now) { NewestWindowEndMicros = newest, WatermarkMicros = watermarkMicros };
        return store.ApplyBatchAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
    }

    public StoreBatchInfo? NewestBatch()
    {
        StoreBatchInfo? newest = null;
        foreach (var meta in Queries())
        {
            if (newest is null || meta.CommittedAt > newest.CommittedAt)
            {
                newest = new StoreBatchInfo(meta.LastBatchId, meta.CommittedAt);
            }
        }

        return newest;
    }

    public long? NewestWindowEnd()
    {
        long? newest = null;
        foreach (var meta in Queries())
        {
            if (meta.NewestWindowEndMicros is { } end && (newest is not { } n || end > n))
            {
                newest = end;
            }
        }

        return newest;
    }

    public IReadOnlyDictionary<string, List<(string Key, long Value)>> SumsByKey(long fromMicros, long toMicros)
    {
        var sums = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var row in Read(fromMicros, toMicros, Summed))
        {
            if (!sums.TryGetValue(row.Metric, out var byKey))
            {
                sums[row.Metric] = byKey = new Dictionary<string, long>(StringComparer.Ordinal);
            }

            byKey[row.Key] = byKey.GetValueOrDefault(row.Key) + row.Value;
        }

        var result = new Dictionary<string, List<(string Key, long Value)>>(sums.Count, StringComparer.Ordinal);
        foreach (var (metric, byKey) in sums)
        {
            var list = new List<(string Key, long Value)>(byKey.Count);
            foreach (var (key, value) in byKey)
            {
                list.Add((key, value));
            }

            result[metric] = list;
        }

        return result;
    }

    public long ActiveUsers(long fromMicros, long toMicros)
    {
        // Windows ascending, as SQLite reads them by primary key.
        HyperLogLog? union = null;
        foreach (var row in Read(fromMicros, toMicros, ActiveUsersOnly))
        {
            if (row.Sketch is not { } bytes)
            {
                continue;
            }

            var sketch = HyperLogLog.FromBytes(bytes);
            if (union is null)
            {
                union = sketch;
            }
            else
            {
                union.Merge(sketch);
            }
        }

        return union?.Estimate() ?? 0;
    }

    public IReadOnlyDictionary<long, long> EventsPerWindow(long fromMicros, long toMicros)
    {
        var counts = new Dictionary<long, long>();
        foreach (var row in Read(fromMicros, toMicros, EventsOnly))
        {
            counts[row.WindowStartMicros] = counts.GetValueOrDefault(row.WindowStartMicros) + row.Value;
        }

        return counts;
    }

    public StoreTotals Totals(long fromMicros, long toMicros)
    {
        long events = 0, duplicates = 0, invalid = 0, late = 0;
        foreach (var row in Read(fromMicros, toMicros, Ledger))
        {
            switch (row.Metric)
            {
                case Metric.Events: events += row.Value; break;
                case Metric.Duplicates: duplicates += row.Value; break;
                case Metric.Invalid: invalid += row.Value; break;
                default: late += row.Value; break;
            }
        }

        return new StoreTotals(events, duplicates, invalid, late);
    }

    public IEnumerable<AggregateRecord> All()
    {
        foreach (var row in store.AllAsync(CancellationToken.None).GetAwaiter().GetResult())
        {
            yield return new AggregateRecord(row.Metric, row.WindowStartMicros, row.WindowEndMicros, row.Key.Length == 0 ? null : row.Key, row.Value);
        }
    }

    public void Dispose() => owned?.Dispose();

    private IReadOnlyList<DynamoQueryMeta> Queries() => store.QueriesAsync(CancellationToken.None).GetAwaiter().GetResult();

    private List<DynamoRow> Read(long fromMicros, long toMicros, string[] metrics) =>
        store.ReadAsync(fromMicros, toMicros, metrics, CancellationToken.None).GetAwaiter().GetResult();
}
