namespace Clickstream.Jobs.Store;

/// <summary>A committed batch: its id and when the store recorded it.</summary>
internal sealed record StoreBatchInfo(long BatchId, DateTimeOffset CommittedAt);
