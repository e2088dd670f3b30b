namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// The item writes of one batch: absolute rows keyed by item (a later row for the same item wins, as in the SQLite
/// store), additive rows summed per item (the ledger arrives one row per event), and what the metadata item records
/// (touched window ranges, shard counts, the oldest and newest windows). Built on the driver thread; no LINQ.
/// </summary>
internal sealed class BatchPlan
{
    private BatchPlan(int capacity)
    {
        Absolute = new List<AggregateWrite>(capacity);
    }

    public List<AggregateWrite> Absolute { get; }

    public List<AggregateWrite> Additive { get; } = [];

    public List<MetricRange> Ranges { get; } = [];

    public Dictionary<string, int> Shards { get; } = new(StringComparer.Ordinal);

    public List<string> AdditiveMetrics { get; } = [];

    public List<string> AbsoluteMetrics { get; } = [];

    public long? OldestStart { get; private set; }

    public long? NewestEnd { get; private set; }

    public static BatchPlan Build(DynamoBatch batch, DynamoStoreOptions options)
    {
        var rows = batch.Rows;
        var plan = new BatchPlan(rows.Count);
        var absoluteIndex = new Dictionary<(string, string), int>(rows.Count);
        var additiveIndex = new Dictionary<(string, string), int>();
        var ranges = new Dictionary<string, (long Min, long Max)>(StringComparer.Ordinal);
        var now = batch.CommittedAt.ToUnixTimeSeconds();
        var retention = (long)options.RowRetention.TotalSeconds;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            Validate(row, options.WindowMicros);
            var shards = options.ShardsOf(row.Metric);
            if (shards > 1)
            {
                plan.Shards[row.Metric] = shards;
            }

            var partition = DynamoKeys.Partition(row.Metric, row.WindowStartMicros, DynamoKeys.Shard(row.Key, shards));
            var sort = DynamoKeys.Sort(row.Key, out var hashed);

            // Kept for the retention after the window ends, or after this write when replayed history is older.
            var ttl = Math.Max(now, CeilSeconds(row.WindowEndMicros)) + retention;
            var write = new AggregateWrite(partition, sort, hashed, row, ttl, batch.QueryId, batch.BatchId);
            var key = (partition, sort);
            if (row.Additive)
            {
                if (additiveIndex.TryGetValue(key, out var at))
                {
                    var sum = plan.Additive[at];
                    plan.Additive[at] = sum with { Row = sum.Row with { Value = sum.Row.Value + row.Value } };
                }
                else
                {
                    additiveIndex[key] = plan.Additive.Count;
                    plan.Additive.Add(write);
                    if (!plan.AdditiveMetrics.Contains(row.Metric))
                    {
                        plan.AdditiveMetrics.Add(row.Metric);
                    }
                }
            }
            else if (absoluteIndex.TryGetValue(key, out var at))
            {
                plan.Absolute[at] = write;
            }
            else
            {
                absoluteIndex[key] = plan.Absolute.Count;
                plan.Absolute.Add(write);
                if (!plan.AbsoluteMetrics.Contains(row.Metric))
                {
                    plan.AbsoluteMetrics.Add(row.Metric);
                }
            }

            ranges[row.Metric] = ranges.TryGetValue(row.Metric, out var r)
                ? (Math.Min(r.Min, row.WindowStartMicros), Math.Max(r.Max, row.WindowStartMicros))
                : (row.WindowStartMicros, row.WindowStartMicros);
            plan.OldestStart = plan.OldestStart is { } o ? Math.Min(o, row.WindowStartMicros) : row.WindowStartMicros;
            plan.NewestEnd = plan.NewestEnd is { } e ? Math.Max(e, row.WindowEndMicros) : row.WindowEndMicros;
        }

        // An item is either replaced or added to within one batch: both would need two conditions on one batch id.
        foreach (var (key, _) in additiveIndex)
        {
            if (absoluteIndex.ContainsKey(key))
            {
                throw new ArgumentException($"batch {batch.BatchId} has both an absolute and an additive row for item {key.Item1} {key.Item2}");
            }
        }

        foreach (var (metric, (min, max)) in ranges)
        {
            plan.Ranges.Add(new MetricRange(metric, min, max));
        }

        plan.Ranges.Sort((a, b) => string.CompareOrdinal(a.Metric, b.Metric));
        return plan;
    }

    private static void Validate(in DynamoRow row, long windowMicros)
    {
        var metric = row.Metric;
        if (string.IsNullOrEmpty(metric) || metric[0] == '_' || metric.AsSpan().IndexOfAny("#|:,") >= 0)
        {
            throw new ArgumentException($"metric name '{metric}' cannot be stored in DynamoDB: it must be non-empty, not start with '_' and hold none of # | : ,");
        }

        if (row.WindowEndMicros - row.WindowStartMicros != windowMicros || ((row.WindowStartMicros % windowMicros) + windowMicros) % windowMicros != 0)
        {
            throw new ArgumentException(
                $"row {metric} [{row.WindowStartMicros}, {row.WindowEndMicros}) is not an aligned window of {windowMicros} µs, the only length the table holds");
        }

        ArgumentNullException.ThrowIfNull(row.Key);
    }

    private static long CeilSeconds(long micros) => (micros / 1_000_000) + (micros % 1_000_000 > 0 ? 1 : 0);
}
