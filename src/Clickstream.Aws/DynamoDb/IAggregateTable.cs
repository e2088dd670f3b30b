namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// The DynamoDB calls the aggregate store makes, and only those, in the store's own terms: the real implementation
/// (<see cref="DynamoAggregateTable"/>) turns them into SDK requests; <see cref="InMemoryAggregateTable"/> is the fake
/// that injects failures for tests. Failures surface as the SDK's exceptions; a failed condition is a result, not an
/// error. Every method may be called from several threads at once.
/// </summary>
internal interface IAggregateTable
{
    /// <summary>The table name.</summary>
    string Name { get; }

    /// <summary>Puts up to 25 items (BatchWriteItem); returns the items DynamoDB left unprocessed.</summary>
    Task<IReadOnlyList<AggregateWrite>> PutBatchAsync(IReadOnlyList<AggregateWrite> writes, CancellationToken cancellationToken);

    /// <summary>
    /// Updates one item only when its remembered batch of <see cref="AggregateWrite.QueryId"/> is absent or older than
    /// <see cref="AggregateWrite.BatchId"/>: adds the value for an additive row, replaces it for an absolute one.
    /// Returns false when the condition failed (the batch already reached the item).
    /// </summary>
    Task<bool> UpdateIfNewerAsync(AggregateWrite write, CancellationToken cancellationToken);

    /// <summary>Replaces the metadata item of a query only when its last batch is absent or older; false otherwise.</summary>
    Task<bool> PutMetaIfNewerAsync(DynamoQueryMeta meta, CancellationToken cancellationToken);

    /// <summary>The metadata item of one query (strongly consistent), or null.</summary>
    Task<DynamoQueryMeta?> GetMetaAsync(string queryId, CancellationToken cancellationToken);

    /// <summary>Every query's metadata item (one strongly consistent Query).</summary>
    Task<IReadOnlyList<DynamoQueryMeta>> ListMetaAsync(CancellationToken cancellationToken);

    /// <summary>Every row of one partition (strongly consistent Query, all pages).</summary>
    Task<IReadOnlyList<DynamoRow>> QueryPartitionAsync(string partitionKey, CancellationToken cancellationToken);

    /// <summary>Every row of one Scan segment (strongly consistent, all pages), metadata items left out.</summary>
    Task<IReadOnlyList<DynamoRow>> ScanAsync(int segment, int totalSegments, CancellationToken cancellationToken);
}
