using Amazon.DynamoDBv2;

namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// The aggregate store on DynamoDB (docs/formats/aggregate-store.md): one item per (metric, window, dimension) under
/// the partition key <c>{metric}#{window_start}</c> and the sort key of the dimension, a TTL, and one metadata item
/// per query. Writes are idempotent per row (<see cref="DynamoBatchWriter"/>); reads go partition by partition with a
/// cache of what cannot have changed (<see cref="DynamoRangeReader"/>). The writing side belongs to the query's
/// driver thread; the reading side may be used from many threads.
/// </summary>
public sealed class DynamoAggregateStore
{
    private readonly DynamoBatchWriter _writer;
    private readonly DynamoRangeReader _reader;

    internal DynamoAggregateStore(IAggregateTable table, DynamoStoreOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (options.MaxConcurrentWrites < 1 || options.MaxConcurrentReads < 1 || options.WindowMicros <= 0 || options.RecentBatchesKept < 1)
        {
            throw new ArgumentException("the DynamoDB store needs at least one writer and one reader, a positive window and a recent-batch list", nameof(options));
        }

        Table = table;
        Options = options;
        Retry = new AwsRetry(time, options.RetryDeadline);
        _writer = new DynamoBatchWriter(table, options, Stats, Retry);
        _reader = new DynamoRangeReader(table, options, Stats, Retry);
    }

    internal IAggregateTable Table { get; }

    internal DynamoStoreOptions Options { get; }

    internal DynamoStoreStats Stats { get; } = new();

    /// <summary>The retry loop of every call (its <see cref="AwsRetry.Retries"/> counts throttled and unprocessed retries).</summary>
    internal AwsRetry Retry { get; }

    internal PartitionCache Cache => _reader.Cache;

    /// <summary>
    /// Creates the aggregate table <paramref name="table"/> if it does not exist: on-demand capacity, partition key
    /// <c>pk</c>, sort key <c>sk</c> (strings), TTL enabled on <c>ttl</c>. Idempotent; returns when the table is ACTIVE.
    /// Fails with <see cref="AwsLocationException"/> when a table of that name has other keys.
    /// </summary>
    /// <param name="client">The DynamoDB client.</param>
    /// <param name="table">The table name.</param>
    /// <param name="ct">Cancels the calls and the wait.</param>
    public static Task CreateTableAsync(IAmazonDynamoDB client, string table, CancellationToken ct) =>
        DynamoTableSetup.CreateAsync(client, table, TimeProvider.System, ct);

    /// <summary>The store over the SDK client.</summary>
    internal static DynamoAggregateStore Open(IAmazonDynamoDB client, DynamoStoreOptions options, TimeProvider time) =>
        new(new DynamoAggregateTable(client, options.Table, options.WindowMicros), options, time);

    /// <summary>The last batch id applied for <paramref name="queryId"/>, or -1.</summary>
    internal Task<long> LastBatchIdAsync(string queryId, CancellationToken cancellationToken) => _writer.LastBatchIdAsync(queryId, cancellationToken);

    /// <summary>Applies one batch idempotently; false when the query already holds it.</summary>
    internal Task<bool> ApplyBatchAsync(DynamoBatch batch, CancellationToken cancellationToken) => _writer.ApplyAsync(batch, cancellationToken);

    /// <summary>Every query's metadata item.</summary>
    internal Task<IReadOnlyList<DynamoQueryMeta>> QueriesAsync(CancellationToken cancellationToken) => _reader.QueriesAsync(cancellationToken);

    /// <summary>The rows of <paramref name="metrics"/> in the windows inside [from, to), by metric, then window.</summary>
    internal Task<List<DynamoRow>> ReadAsync(long fromMicros, long toMicros, IReadOnlyList<string> metrics, CancellationToken cancellationToken) =>
        _reader.ReadAsync(fromMicros, toMicros, metrics, cancellationToken);

    /// <summary>Every row, in (metric, window start, key) order.</summary>
    internal Task<List<DynamoRow>> AllAsync(CancellationToken cancellationToken) => _reader.AllAsync(cancellationToken);
}
