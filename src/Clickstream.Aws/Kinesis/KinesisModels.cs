namespace Clickstream.Aws.Kinesis;

/// <summary>Kinesis Data Streams' limits that the client and its callers respect.</summary>
public static class KinesisLimits
{
    /// <summary>Records in one PutRecords call.</summary>
    public const int MaxRecordsPerPut = 500;

    /// <summary>Bytes (data plus partition keys) in one PutRecords call.</summary>
    public const int MaxBytesPerPut = 5 * 1024 * 1024;

    /// <summary>Bytes (data plus partition key) in one record.</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    /// <summary>Characters in a partition key (Unicode, at most 256).</summary>
    public const int MaxPartitionKeyLength = 256;

    /// <summary>Records one GetRecords call may return.</summary>
    public const int MaxRecordsPerGet = 10_000;

    /// <summary>GetRecords calls per second per shard.</summary>
    public const int GetRecordsPerSecondPerShard = 5;

    /// <summary>The PUT payload unit Kinesis bills by: every record is rounded up to 25 KB.</summary>
    public const int PutPayloadUnitBytes = 25 * 1024;
}

/// <summary>A stream's summary (DescribeStreamSummary).</summary>
/// <param name="Name">The stream's name.</param>
/// <param name="Arn">Its ARN.</param>
/// <param name="Status">CREATING, DELETING, ACTIVE or UPDATING.</param>
/// <param name="OpenShardCount">Shards open for writes.</param>
/// <param name="RetentionHours">How long records are kept.</param>
public sealed record KinesisStreamSummary(string Name, string Arn, string Status, int OpenShardCount, int RetentionHours);

/// <summary>A shard (ListShards): its hash key range, its parents after a reshard, and its sequence range.</summary>
/// <param name="ShardId">The shard's id.</param>
/// <param name="ParentShardId">The shard it was split from or merged from, if any.</param>
/// <param name="AdjacentParentShardId">The other parent of a merge, if any.</param>
/// <param name="StartingHashKey">The lowest hash key it holds (a 128-bit number in decimal).</param>
/// <param name="EndingHashKey">The highest hash key it holds.</param>
/// <param name="StartingSequenceNumber">Its first sequence number.</param>
/// <param name="EndingSequenceNumber">Its last sequence number once it is closed (split or merged), else null.</param>
public sealed record KinesisShard(
    string ShardId,
    string? ParentShardId,
    string? AdjacentParentShardId,
    string StartingHashKey,
    string EndingHashKey,
    string StartingSequenceNumber,
    string? EndingSequenceNumber)
{
    /// <summary>True when the shard takes no more records (it was split or merged).</summary>
    public bool IsClosed => EndingSequenceNumber is not null;

    /// <summary>The parents whose records come before this shard's.</summary>
    public IEnumerable<string> Parents
    {
        get
        {
            if (ParentShardId is not null)
            {
                yield return ParentShardId;
            }

            if (AdjacentParentShardId is not null)
            {
                yield return AdjacentParentShardId;
            }
        }
    }
}

/// <summary>A record to put.</summary>
/// <param name="PartitionKey">Chooses the shard (MD5 of the key).</param>
/// <param name="Data">The payload.</param>
public readonly record struct KinesisPutEntry(string PartitionKey, ReadOnlyMemory<byte> Data);

/// <summary>The outcome of one record of a PutRecords call: a sequence number, or the reason it failed.</summary>
/// <param name="ShardId">Where it went (null if it failed).</param>
/// <param name="SequenceNumber">Its sequence number (null if it failed).</param>
/// <param name="ErrorCode">ProvisionedThroughputExceededException or InternalFailure when it failed.</param>
/// <param name="ErrorMessage">The service's message when it failed.</param>
public readonly record struct KinesisPutOutcome(string? ShardId, string? SequenceNumber, string? ErrorCode, string? ErrorMessage)
{
    /// <summary>True when the record was stored.</summary>
    public bool Succeeded => ErrorCode is null;
}

/// <summary>A record read from a shard.</summary>
/// <param name="SequenceNumber">Its sequence number (increasing within a shard).</param>
/// <param name="PartitionKey">Its partition key.</param>
/// <param name="ArrivalTime">When Kinesis received it.</param>
/// <param name="Data">The payload.</param>
public sealed record KinesisRecord(string SequenceNumber, string PartitionKey, DateTimeOffset ArrivalTime, byte[] Data);

/// <summary>One GetRecords answer.</summary>
/// <param name="Records">The records, in sequence order.</param>
/// <param name="NextShardIterator">Where to read next; null when the shard is closed and fully read.</param>
/// <param name="MillisBehindLatest">How far the iterator is behind the shard's tip.</param>
public sealed record KinesisGetResult(IReadOnlyList<KinesisRecord> Records, string? NextShardIterator, long MillisBehindLatest);

/// <summary>Where a shard iterator starts.</summary>
public enum KinesisIteratorType
{
    /// <summary>The oldest record the shard still holds.</summary>
    TrimHorizon,

    /// <summary>Records put after the iterator was made.</summary>
    Latest,

    /// <summary>The record with the given sequence number, then the rest.</summary>
    AtSequenceNumber,

    /// <summary>The records after the given sequence number.</summary>
    AfterSequenceNumber,
}
