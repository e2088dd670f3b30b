namespace Clickstream.Jobs.Tests.Support;

/// <summary>One planned batch of a checkpoint: its watermark and processing time, and the files it read (none: a no-data batch).</summary>
internal sealed record CheckpointBatch(long BatchId, long WatermarkMs, long TimestampMs, IReadOnlyList<string> Files);
