namespace Clickstream.Aws.DynamoDb;

/// <summary>What one micro-batch of one query writes to the DynamoDB aggregate store.</summary>
/// <param name="QueryId">The streaming query (stable across restarts); each query keeps its own last batch id.</param>
/// <param name="BatchId">The engine's batch id; a replay of a batch carries the same id and the same rows.</param>
/// <param name="Rows">Absolute and additive rows, in any order; additive rows for one item are summed first.</param>
/// <param name="CommittedAt">The writer's clock when the batch is applied (the TTL counts from it).</param>
internal sealed record DynamoBatch(string QueryId, long BatchId, IReadOnlyList<DynamoRow> Rows, DateTimeOffset CommittedAt)
{
    /// <summary>The end of the newest event window in the batch (what readers take as "now" in event time), if any.</summary>
    public long? NewestWindowEndMicros { get; init; }

    /// <summary>A lower bound of the query's watermark after this batch, if the writer knows one.</summary>
    public long? WatermarkMicros { get; init; }
}
