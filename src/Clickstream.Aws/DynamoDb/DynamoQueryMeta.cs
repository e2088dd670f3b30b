namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// The metadata item of one query (partition <c>_meta</c>, sort key the query id), written last in every batch:
/// readers get the newest batch and the newest window from it with one Query, and the writer skips replayed batches
/// at or below <see cref="LastBatchId"/> without touching a row.
/// </summary>
internal sealed record DynamoQueryMeta(string QueryId, long LastBatchId, DateTimeOffset CommittedAt)
{
    /// <summary>The end of the newest event window this query wrote (max over its batches).</summary>
    public long? NewestWindowEndMicros { get; init; }

    /// <summary>The oldest window start of any row this query wrote (readers clamp ranges to it).</summary>
    public long? OldestWindowStartMicros { get; init; }

    /// <summary>The newest window end of any row this query wrote, ledger rows included.</summary>
    public long? MaxWindowEndMicros { get; init; }

    /// <summary>A lower bound of the query's watermark: its absolute rows of windows ending at or before it are final.</summary>
    public long? WatermarkMicros { get; init; }

    /// <summary>The touches of the query's last batches, oldest first.</summary>
    public IReadOnlyList<BatchTouch> Recent { get; init; } = [];

    /// <summary>The largest write-shard count this query used per sharded metric (readers query every shard).</summary>
    public IReadOnlyDictionary<string, int> Shards { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>The metrics this query wrote additively (never final: late ledger rows can still arrive).</summary>
    public IReadOnlyList<string> AdditiveMetrics { get; init; } = [];

    /// <summary>The metrics this query wrote as absolute values (final once their window is below the watermark).</summary>
    public IReadOnlyList<string> AbsoluteMetrics { get; init; } = [];
}
