namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// The rows of (metric, window) partitions a reader has read, kept until a write may have changed them. Every
/// refresh compares the queries' metadata items with those of the last refresh: a query that moved on lists, per
/// batch, the window ranges it wrote, and exactly those windows are dropped. When the list does not reach back far
/// enough (the reader was idle for more batches than a metadata item keeps) only the partitions that were already
/// final when they were read stay: windows of absolute-only metrics that ended at or before every query's watermark.
/// A new or vanished query drops everything. Thread-safe: dashboard requests share one cache.
/// </summary>
internal sealed class PartitionCache(int maxRows, long windowMicros)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Metric, long Start), Entry> _entries = [];
    private readonly HashSet<string> _absoluteOnly = new(StringComparer.Ordinal);
    private Dictionary<string, long>? _seen;
    private long? _finalEnd;
    private long _epoch;
    private long _rows;

    /// <summary>The number of cached partitions.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Brings the cache up to <paramref name="metas"/>; returns the epoch that <see cref="Put"/> must be given.</summary>
    public long Refresh(IReadOnlyList<DynamoQueryMeta> metas)
    {
        lock (_lock)
        {
            var seen = new Dictionary<string, long>(metas.Count, StringComparer.Ordinal);
            foreach (var meta in metas)
            {
                seen[meta.QueryId] = meta.LastBatchId;
            }

            if (_seen is null || !Apply(metas))
            {
                Clear();
            }

            Settled(metas);

            if (_seen is null || !SameBatches(_seen, seen))
            {
                // Rows read before this point may predate the batches just seen: keep them out of the cache.
                _epoch++;
            }

            _seen = seen;
            return _epoch;
        }
    }

    public bool TryGet(string metric, long windowStart, out DynamoRow[] rows)
    {
        lock (_lock)
        {
            var found = _entries.TryGetValue((metric, windowStart), out var entry);
            rows = entry?.Rows ?? [];
            return found;
        }
    }

    /// <summary>Caches a partition read after the refresh that returned <paramref name="epoch"/>, unless a later refresh changed anything.</summary>
    public void Put(string metric, long windowStart, DynamoRow[] rows, long epoch)
    {
        lock (_lock)
        {
            if (epoch != _epoch || rows.Length > maxRows)
            {
                return;
            }

            if (_entries.Remove((metric, windowStart), out var old))
            {
                _rows -= old.Rows.Length;
            }

            var final = _absoluteOnly.Contains(metric) && _finalEnd is { } end && windowStart + windowMicros <= end;
            _entries[(metric, windowStart)] = new Entry(rows, final);
            _rows += rows.Length;
            if (_rows > maxRows)
            {
                EvictOldest();
            }
        }
    }

    // False when everything must go.
    private bool Apply(IReadOnlyList<DynamoQueryMeta> metas)
    {
        if (metas.Count < _seen!.Count)
        {
            return false;
        }

        var dropUnsettled = false;
        foreach (var meta in metas)
        {
            if (!_seen.TryGetValue(meta.QueryId, out var previous) || meta.LastBatchId < previous)
            {
                return false;
            }

            if (meta.LastBatchId == previous)
            {
                continue;
            }

            if (meta.Recent.Count > 0 && meta.Recent[0].BatchId <= previous + 1)
            {
                foreach (var touch in meta.Recent)
                {
                    if (touch.BatchId > previous)
                    {
                        foreach (var range in touch.Ranges)
                        {
                            Invalidate(range);
                        }
                    }
                }
            }
            else
            {
                dropUnsettled = true;
            }
        }

        if (dropUnsettled)
        {
            var drop = new List<(string, long)>();
            foreach (var (key, entry) in _entries)
            {
                if (!entry.Final)
                {
                    drop.Add(key);
                }
            }

            foreach (var key in drop)
            {
                Remove(key);
            }
        }

        return true;
    }

    // What a partition read now may count as final: windows ending at or before every query's watermark, of metrics
    // some query writes absolutely and none additively (a ledger row can still arrive for any old window).
    private void Settled(IReadOnlyList<DynamoQueryMeta> metas)
    {
        long? end = metas.Count > 0 ? long.MaxValue : null;
        _absoluteOnly.Clear();
        foreach (var meta in metas)
        {
            end = meta.WatermarkMicros is { } w && end is { } low ? Math.Min(w, low) : null;
            _absoluteOnly.UnionWith(meta.AbsoluteMetrics);
        }

        foreach (var meta in metas)
        {
            _absoluteOnly.ExceptWith(meta.AdditiveMetrics);
        }

        _finalEnd = end;
    }

    private void Invalidate(MetricRange range)
    {
        var windows = ((range.MaxStartMicros - range.MinStartMicros) / windowMicros) + 1;
        if (windows <= _entries.Count)
        {
            for (var start = range.MinStartMicros; start <= range.MaxStartMicros; start += windowMicros)
            {
                Remove((range.Metric, start));
            }

            return;
        }

        var drop = new List<(string, long)>();
        foreach (var (key, _) in _entries)
        {
            if (key.Metric == range.Metric && key.Start >= range.MinStartMicros && key.Start <= range.MaxStartMicros)
            {
                drop.Add(key);
            }
        }

        foreach (var key in drop)
        {
            Remove(key);
        }
    }

    private void Remove((string, long) key)
    {
        if (_entries.Remove(key, out var entry))
        {
            _rows -= entry.Rows.Length;
        }
    }

    private void Clear()
    {
        _entries.Clear();
        _rows = 0;
    }

    // Over the row budget: drop the oldest windows, which a dashboard's sliding range leaves first.
    private void EvictOldest()
    {
        var keys = new List<(string Metric, long Start)>(_entries.Keys);
        keys.Sort((a, b) => a.Start.CompareTo(b.Start));
        var target = maxRows - (maxRows / 10);
        foreach (var key in keys)
        {
            if (_rows <= target)
            {
                break;
            }

            Remove(key);
        }
    }

    private sealed record Entry(DynamoRow[] Rows, bool Final);

    private static bool SameBatches(Dictionary<string, long> a, Dictionary<string, long> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (query, batch) in a)
        {
            if (!b.TryGetValue(query, out var other) || other != batch)
            {
                return false;
            }
        }

        return true;
    }
}
