namespace Clickstream.Aws.DynamoDb;

/// <summary>How the DynamoDB aggregate store lays out, writes and reads its table. Immutable.</summary>
internal sealed record DynamoStoreOptions
{
    /// <summary>The table name.</summary>
    public required string Table { get; init; }

    /// <summary>The one window length the table holds (minute rows; daily and longer rows are the warehouse's job).</summary>
    public long WindowMicros { get; init; } = 60_000_000;

    /// <summary>How long a row lives after its window ends (or after its last write, whichever is later): the TTL.</summary>
    public TimeSpan RowRetention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How many write calls (a 25-item BatchWriteItem or one UpdateItem) run at once.</summary>
    public int MaxConcurrentWrites { get; init; } = 16;

    /// <summary>How many partition Queries a read runs at once.</summary>
    public int MaxConcurrentReads { get; init; } = 16;

    /// <summary>How absolute rows are written.</summary>
    public AbsoluteWriteMode AbsoluteWrites { get; init; } = AbsoluteWriteMode.BatchPut;

    /// <summary>
    /// Write shards per metric: a metric with many keys per window (top_products) spreads one window over this many
    /// partition keys so that no key takes more than DynamoDB's 1,000 writes/s per partition. Missing = 1.
    /// </summary>
    public IReadOnlyDictionary<string, int> WriteShards { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>How many of its last batches a query lists in its metadata item, for readers' cache invalidation.</summary>
    public int RecentBatchesKept { get; init; } = 32;

    /// <summary>At most this many rows stay in the read cache; the oldest windows go first.</summary>
    public int MaxCachedRows { get; init; } = 4_000_000;

    /// <summary>A read that would need more partition Queries than this scans the table instead.</summary>
    public int MaxPartitionQueriesPerRead { get; init; } = 100_000;

    /// <summary>Parallel Scan segments for the export.</summary>
    public int ScanSegments { get; init; } = 4;

    /// <summary>How long one call keeps retrying throttling, unprocessed items, 5xx and timeouts.</summary>
    public TimeSpan RetryDeadline { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The number of write shards of <paramref name="metric"/>.</summary>
    public int ShardsOf(string metric) => WriteShards.TryGetValue(metric, out var n) && n > 1 ? n : 1;
}
