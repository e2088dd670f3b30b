namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// Reads the rows of a range of windows: one strongly consistent Query of the metadata partition, then one Query per
/// (metric, window, shard) partition not in the <see cref="PartitionCache"/>, at most
/// <see cref="DynamoStoreOptions.MaxConcurrentReads"/> at a time. The range is clamped to the windows any query
/// wrote; a range that would still need more Queries than
/// <see cref="DynamoStoreOptions.MaxPartitionQueriesPerRead"/> scans the table instead. Thread-safe.
/// </summary>
internal sealed class DynamoRangeReader(IAggregateTable table, DynamoStoreOptions options, DynamoStoreStats stats, AwsRetry retry)
{
    private readonly PartitionCache _cache = new(options.MaxCachedRows, options.WindowMicros);

    public PartitionCache Cache => _cache;

    /// <summary>Every query's metadata item.</summary>
    public Task<IReadOnlyList<DynamoQueryMeta>> QueriesAsync(CancellationToken cancellationToken)
    {
        stats.MetaQueried();
        return retry.RunAsync($"Query dynamodb://{table.Name} {DynamoKeys.MetaPartition}", table.ListMetaAsync, cancellationToken);
    }

    /// <summary>
    /// The rows of <paramref name="metrics"/> in the windows that lie inside [from, to), metric by metric in the
    /// order given, windows ascending.
    /// </summary>
    public async Task<List<DynamoRow>> ReadAsync(long fromMicros, long toMicros, IReadOnlyList<string> metrics, CancellationToken cancellationToken)
    {
        var metas = await QueriesAsync(cancellationToken).ConfigureAwait(false);
        var epoch = _cache.Refresh(metas);
        long? oldest = null, newest = null;
        var shards = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var meta in metas)
        {
            if (meta.OldestWindowStartMicros is { } o)
            {
                oldest = oldest is { } a ? Math.Min(a, o) : o;
            }

            if (meta.MaxWindowEndMicros is { } e)
            {
                newest = newest is { } b ? Math.Max(b, e) : e;
            }

            foreach (var (metric, n) in meta.Shards)
            {
                shards[metric] = Math.Max(n, shards.GetValueOrDefault(metric, 1));
            }
        }

        if (oldest is null || newest is null)
        {
            return [];
        }

        var w = options.WindowMicros;
        var first = CeilToWindow(Math.Max(fromMicros, oldest.Value), w);
        var end = Math.Min(toMicros, newest.Value);
        if (first > end - w)
        {
            return [];
        }

        var windows = (end - first) / w;
        long queries = 0;
        foreach (var metric in metrics)
        {
            queries += windows * shards.GetValueOrDefault(metric, 1);
        }

        if (queries > options.MaxPartitionQueriesPerRead)
        {
            return await ScanRangeAsync(first, end, metrics, cancellationToken).ConfigureAwait(false);
        }

        // One slot per (metric, window), filled from the cache or by the Queries below.
        var slots = new DynamoRow[metrics.Count * (int)windows][];
        var missing = new List<(int Slot, string Metric, long Start)>();
        long cached = 0;
        for (var m = 0; m < metrics.Count; m++)
        {
            for (var i = 0; i < windows; i++)
            {
                var start = first + (i * w);
                if (_cache.TryGet(metrics[m], start, out var rows))
                {
                    slots[(m * (int)windows) + i] = rows;
                    cached++;
                }
                else
                {
                    missing.Add(((m * (int)windows) + i, metrics[m], start));
                }
            }
        }

        stats.FromCache(cached);
        await Parallel.ForEachAsync(
            missing,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentReads, CancellationToken = cancellationToken },
            async (p, ct) =>
            {
                var n = shards.GetValueOrDefault(p.Metric, 1);
                var rows = new List<DynamoRow>();
                long units = 0;
                for (var shard = 0; shard < n; shard++)
                {
                    var key = DynamoKeys.Partition(p.Metric, p.Start, shard);
                    var part = await retry.RunAsync($"Query dynamodb://{table.Name} {key}", c => table.QueryPartitionAsync(key, c), ct).ConfigureAwait(false);
                    units += DynamoKeys.ReadUnits(key, part);
                    rows.AddRange(part);
                }

                stats.Queried(n, units);
                var array = rows.ToArray();
                slots[p.Slot] = array;
                _cache.Put(p.Metric, p.Start, array, epoch);
            }).ConfigureAwait(false);

        var result = new List<DynamoRow>();
        foreach (var slot in slots)
        {
            result.AddRange(slot);
        }

        return result;
    }

    /// <summary>Every row of the table in (metric, window start, key) order by UTF-8 bytes, as SQLite orders them.</summary>
    public async Task<List<DynamoRow>> AllAsync(CancellationToken cancellationToken)
    {
        var rows = await ScanAllAsync(cancellationToken).ConfigureAwait(false);
        rows.Sort(static (a, b) =>
        {
            var c = Utf8Order.Instance.Compare(a.Metric, b.Metric);
            if (c == 0)
            {
                c = a.WindowStartMicros.CompareTo(b.WindowStartMicros);
            }

            return c != 0 ? c : Utf8Order.Instance.Compare(a.Key, b.Key);
        });
        return rows;
    }

    private async Task<List<DynamoRow>> ScanRangeAsync(long from, long to, IReadOnlyList<string> metrics, CancellationToken cancellationToken)
    {
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < metrics.Count; i++)
        {
            order[metrics[i]] = i;
        }

        var result = new List<DynamoRow>();
        foreach (var row in await ScanAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (order.ContainsKey(row.Metric) && row.WindowStartMicros >= from && row.WindowEndMicros <= to)
            {
                result.Add(row);
            }
        }

        result.Sort((a, b) =>
        {
            var c = order[a.Metric].CompareTo(order[b.Metric]);
            return c != 0 ? c : a.WindowStartMicros.CompareTo(b.WindowStartMicros);
        });
        return result;
    }

    private async Task<List<DynamoRow>> ScanAllAsync(CancellationToken cancellationToken)
    {
        var segments = Math.Max(1, options.ScanSegments);
        var parts = new IReadOnlyList<DynamoRow>[segments];
        await Parallel.ForAsync(0, segments, cancellationToken, async (s, ct) =>
            parts[s] = await retry.RunAsync($"Scan dynamodb://{table.Name} segment {s}", c => table.ScanAsync(s, segments, c), ct).ConfigureAwait(false))
            .ConfigureAwait(false);
        var rows = new List<DynamoRow>();
        foreach (var part in parts)
        {
            rows.AddRange(part);
        }

        return rows;
    }

    private static long CeilToWindow(long micros, long w)
    {
        var floor = micros - (((micros % w) + w) % w);
        return floor == micros ? micros : floor + w;
    }
}
