namespace Clickstream.Aws.DynamoDb;

/// <summary>Counters of one store instance (thread-safe; for progress lines, benchmarks and tests).</summary>
internal sealed class DynamoStoreStats
{
    private long _batchesApplied;
    private long _batchesSkipped;
    private long _itemsWritten;
    private long _writeUnits;
    private long _conditionalSkips;
    private long _unprocessedItems;
    private long _writeCalls;
    private long _partitionQueries;
    private long _cachedPartitions;
    private long _metaQueries;
    private long _readUnits;

    public long BatchesApplied => Interlocked.Read(ref _batchesApplied);

    public long BatchesSkipped => Interlocked.Read(ref _batchesSkipped);

    /// <summary>Item writes DynamoDB accepted (rows and metadata items; conditional failures not included).</summary>
    public long ItemsWritten => Interlocked.Read(ref _itemsWritten);

    /// <summary>Write units billed, from item sizes: accepted writes and failed conditions (which DynamoDB bills too).</summary>
    public long WriteUnits => Interlocked.Read(ref _writeUnits);

    /// <summary>Row updates whose condition failed: the batch had already reached the row (a replay).</summary>
    public long ConditionalSkips => Interlocked.Read(ref _conditionalSkips);

    /// <summary>Items BatchWriteItem left unprocessed and the store sent again.</summary>
    public long UnprocessedItems => Interlocked.Read(ref _unprocessedItems);

    /// <summary>Write requests sent (BatchWriteItem, UpdateItem, PutItem), retries included.</summary>
    public long WriteCalls => Interlocked.Read(ref _writeCalls);

    /// <summary>Partition Queries sent by reads.</summary>
    public long PartitionQueries => Interlocked.Read(ref _partitionQueries);

    /// <summary>Partitions reads took from the cache instead.</summary>
    public long CachedPartitions => Interlocked.Read(ref _cachedPartitions);

    /// <summary>Queries of the metadata partition (one per read call).</summary>
    public long MetaQueries => Interlocked.Read(ref _metaQueries);

    /// <summary>Read units of the partition Queries, estimated from the rows returned (strongly consistent: 1 per 4 KB).</summary>
    public long ReadUnits => Interlocked.Read(ref _readUnits);

    internal void BatchApplied() => Interlocked.Increment(ref _batchesApplied);

    internal void BatchSkipped() => Interlocked.Increment(ref _batchesSkipped);

    internal void Written(long items, long units)
    {
        Interlocked.Add(ref _itemsWritten, items);
        Interlocked.Add(ref _writeUnits, units);
    }

    internal void ConditionFailed(long units)
    {
        Interlocked.Increment(ref _conditionalSkips);
        Interlocked.Add(ref _writeUnits, units);
    }

    internal void Unprocessed(long items) => Interlocked.Add(ref _unprocessedItems, items);

    internal void WriteCall() => Interlocked.Increment(ref _writeCalls);

    internal void Queried(long partitions, long units)
    {
        Interlocked.Add(ref _partitionQueries, partitions);
        Interlocked.Add(ref _readUnits, units);
    }

    internal void MetaQueried() => Interlocked.Increment(ref _metaQueries);

    internal void FromCache(long partitions) => Interlocked.Add(ref _cachedPartitions, partitions);
}
