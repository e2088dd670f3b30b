using System.Globalization;
using Clickstream.Engine.Sources;

namespace Clickstream.Aws.Kinesis;

/// <summary>The per-run side of <see cref="KinesisSource{T}"/>: shard discovery, read-ahead, planning.</summary>
internal sealed class KinesisSourceReader<T> : IStreamSourceReader<T>, ISourceMetrics
{
    /// <summary>Kinesis allows five GetRecords calls per second per shard.</summary>
    internal static readonly TimeSpan CallSpacing = TimeSpan.FromMilliseconds(1000 / KinesisLimits.GetRecordsPerSecondPerShard);

    private readonly KinesisSource<T> _source;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Cursor> _cursors = new(StringComparer.Ordinal);
    private IReadOnlyList<KinesisShard> _shards = [];
    private long? _shardsReadAt;
    private DateTimeOffset? _frozenAt;
    private Dictionary<string, string> _metrics = new(StringComparer.Ordinal);

    public KinesisSourceReader(KinesisSource<T> source, TimeProvider time)
    {
        _source = source;
        _time = time;
    }

    public IReadOnlyDictionary<string, string> Metrics => _metrics;

    public string? LatestOffset(string? start)
    {
        var from = KinesisSourceOffset.Parse(start, _source.Stream);

        // A shard read to its end and planned is finished with; its drained cursor would otherwise force a shard
        // list read on every batch.
        foreach (var finished in _cursors.Keys.Where(from.IsDone).ToList())
        {
            _cursors.Remove(finished);
        }

        RefreshShards(force: _cursors.Values.Any(c => c.Drained));
        var known = _shards.Select(s => s.ShardId).ToHashSet(StringComparer.Ordinal);

        // A child is read only once every parent is read to its end (or has aged out of the stream).
        var readable = _shards
            .Where(s => !from.IsDone(s.ShardId) && s.Parents.All(p => from.IsDone(p) || !known.Contains(p)))
            .ToList();
        var cursors = readable.Select(s => Align(s.ShardId, from.Of(s.ShardId)?.SequenceNumber)).ToList();
        var deadline = _time.GetTimestamp() + (long)(_source.Options.FetchBudget.TotalSeconds * _time.TimestampFrequency);
        // The batch's byte budget is shared by the shards being read, so the read-ahead of all of them together stays
        // about one batch (a page may overshoot it by up to the 10 MB one GetRecords call returns).
        var bytesPerShard = Math.Max(1, _source.Options.MaxBytesPerTrigger / Math.Max(1, cursors.Count));
        Task.WhenAll(cursors.Select(c => Task.Run(() => FetchAsync(c, deadline, bytesPerShard)))).GetAwaiter().GetResult();

        var shards = new SortedDictionary<string, KinesisShardPosition>((IDictionary<string, KinesisShardPosition>)from.Shards, StringComparer.Ordinal);
        long bytes = 0;
        foreach (var cursor in cursors)
        {
            var taken = 0;
            foreach (var record in cursor.Buffer)
            {
                var tooMany = taken >= _source.Options.MaxRecordsPerShard || (taken > 0 && bytes >= _source.Options.MaxBytesPerTrigger);
                if (tooMany || (_frozenAt is { } frozen && record.ArrivalTime > frozen))
                {
                    break;
                }

                taken++;
                bytes += record.Data.Length;
            }

            var last = taken > 0 ? cursor.Buffer[taken - 1].SequenceNumber : cursor.From;
            var done = cursor.Drained && taken == cursor.Buffer.Count;
            if (taken > 0 || done)
            {
                shards[cursor.ShardId] = new KinesisShardPosition(last, done);
            }
        }

        var behind = cursors.Select(c => c.MillisBehindLatest).DefaultIfEmpty(0).ToArray();
        _metrics = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["shardsRead"] = cursors.Count.ToString(CultureInfo.InvariantCulture),
            ["maxMillisBehindLatest"] = behind.Max().ToString(CultureInfo.InvariantCulture),
            ["avgMillisBehindLatest"] = behind.Average().ToString("F0", CultureInfo.InvariantCulture),
        };
        var end = new KinesisSourceOffset(_source.Stream, shards).ToJson();
        return end == from.ToJson() ? start : end;
    }

    public IReadOnlyList<ISourceSplit<T>> PlanSplits(string? start, string end)
    {
        var from = KinesisSourceOffset.Parse(start, _source.Stream);
        var to = KinesisSourceOffset.Parse(end, _source.Stream);
        var splits = new List<ISourceSplit<T>>();
        foreach (var (shardId, position) in to.Shards)
        {
            var after = from.Of(shardId)?.SequenceNumber;
            if (position.SequenceNumber is not { } last || last == after)
            {
                continue;
            }

            if (_cursors.TryGetValue(shardId, out var cursor) && cursor.From == after
                && cursor.Buffer.FindIndex(r => r.SequenceNumber == last) is var index and >= 0)
            {
                var records = cursor.Buffer.GetRange(0, index + 1);
                cursor.Buffer.RemoveRange(0, index + 1);
                cursor.BufferedBytes -= records.Sum(r => (long)r.Data.Length);
                cursor.From = last;
                splits.Add(new KinesisSplit<T>(_source, shardId, after, last, records));
            }
            else
            {
                // A batch planned before a restart: read its exact range from Kinesis again.
                splits.Add(new KinesisSplit<T>(_source, shardId, after, last, null));
            }
        }

        return splits;
    }

    public void Commit(string end)
    {
    }

    /// <summary>
    /// For the available-now trigger: records that arrived later than now (plus <see cref="KinesisSourceOptions.FreezeSkew"/>,
    /// as arrival times come from Kinesis's clock) are left for a later run, so a run on a busy stream still ends.
    /// </summary>
    public void FreezeAvailableData() => _frozenAt = _time.GetUtcNow() + _source.Options.FreezeSkew;

    public void Dispose()
    {
    }

    private void RefreshShards(bool force)
    {
        var now = _time.GetTimestamp();
        if (!force && _shardsReadAt is { } readAt && _time.GetElapsedTime(readAt, now) < _source.Options.ShardRefreshInterval)
        {
            return;
        }

        _shards = _source.Client.ListShardsAsync(_source.Stream).GetAwaiter().GetResult();
        _shardsReadAt = now;
    }

    /// <summary>The shard's cursor, positioned after <paramref name="after"/> (a fresh one if it stood elsewhere).</summary>
    private Cursor Align(string shardId, string? after)
    {
        if (!_cursors.TryGetValue(shardId, out var cursor) || cursor.From != after)
        {
            _cursors[shardId] = cursor = new Cursor(shardId) { From = after };
        }

        return cursor;
    }

    private async Task FetchAsync(Cursor cursor, long deadline, long maxBytes)
    {
        var client = _source.Client;
        // Read-ahead stops at one batch's worth per shard, in records and in bytes, so memory stays bounded.
        while (!cursor.Drained && cursor.Buffer.Count < _source.Options.MaxRecordsPerShard && cursor.BufferedBytes < maxBytes)
        {
            if (_frozenAt is { } frozen && cursor.Buffer.Count > 0 && cursor.Buffer[^1].ArrivalTime > frozen)
            {
                return;
            }

            if (cursor.LastCall is { } lastCall && _time.GetElapsedTime(lastCall) is var since && since < CallSpacing)
            {
                await Task.Delay(CallSpacing - since, _time).ConfigureAwait(false);
            }

            var position = cursor.Buffer.Count > 0 ? cursor.Buffer[^1].SequenceNumber : cursor.From;
            cursor.Iterator ??= position is null
                ? await client.GetShardIteratorAsync(_source.Stream, cursor.ShardId, KinesisIteratorType.TrimHorizon).ConfigureAwait(false)
                : await client.GetShardIteratorAsync(_source.Stream, cursor.ShardId, KinesisIteratorType.AfterSequenceNumber, position).ConfigureAwait(false);
            KinesisGetResult page;
            try
            {
                cursor.LastCall = _time.GetTimestamp();
                page = await client.GetRecordsAsync(cursor.Iterator, _source.Options.RecordsPerCall).ConfigureAwait(false);
            }
            catch (AwsCallException e) when (KinesisClient.IsExpiredIterator(e))
            {
                // Iterators live five minutes: start again after the last record read.
                cursor.Iterator = null;
                continue;
            }

            cursor.Buffer.AddRange(page.Records);
            cursor.BufferedBytes += page.Records.Sum(r => (long)r.Data.Length);
            cursor.Iterator = page.NextShardIterator;
            cursor.Drained = page.NextShardIterator is null;
            cursor.MillisBehindLatest = page.MillisBehindLatest;
            // An empty page is not the end: Kinesis may answer one while records lie further on (a new iterator, a
            // gap in the shard); only MillisBehindLatest = 0 says the iterator is at the tip.
            if (page.MillisBehindLatest == 0 || _time.GetTimestamp() >= deadline)
            {
                return;
            }
        }
    }

    private sealed class Cursor(string shardId)
    {
        public string ShardId { get; } = shardId;

        /// <summary>The last record before <see cref="Buffer"/> (null: the shard's start).</summary>
        public string? From { get; set; }

        /// <summary>Records fetched after <see cref="From"/> and not yet planned into a batch.</summary>
        public List<KinesisRecord> Buffer { get; } = [];

        /// <summary>The data bytes in <see cref="Buffer"/>.</summary>
        public long BufferedBytes { get; set; }

        public string? Iterator { get; set; }

        /// <summary>The shard is closed and its last record has been fetched.</summary>
        public bool Drained { get; set; }

        public long? LastCall { get; set; }

        public long MillisBehindLatest { get; set; }
    }
}
