using Clickstream.Engine.Checkpointing;

namespace Clickstream.Engine.Execution;

/// <summary>Settings of a query run. Those marked "fixed by the checkpoint" are recorded in <c>offsets/N</c> and win over these values on restart.</summary>
public sealed record QueryOptions
{
    /// <summary>The checkpoint folder (created if missing), when <see cref="CheckpointStore"/> is not given.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Where the checkpoint lives when it is not a local folder (e.g. an S3 prefix); wins over <see cref="CheckpointPath"/>.</summary>
    public ICheckpointStore? CheckpointStore { get; init; }

    /// <summary>State partitions per stateful operator (fixed by the checkpoint). Processed in parallel on all cores.</summary>
    public int ShufflePartitions { get; init; } = 8;

    /// <summary>Run no-data batches when an operator needs one to evict or time out (<c>noDataMicroBatches.enabled</c>).</summary>
    public bool NoDataMicroBatches { get; init; } = true;

    /// <summary>How watermarks of several inputs combine (fixed by the checkpoint).</summary>
    public WatermarkPolicy WatermarkPolicy { get; init; } = WatermarkPolicy.Min;

    /// <summary>Spark ≥ 3.4 separate late-row (previous batch) and eviction (current batch) watermarks; false = one watermark.</summary>
    public bool SeparateLateWatermark { get; init; } = true;

    /// <summary>Offset and commit log entries kept (<c>minBatchesToRetain</c>).</summary>
    public int MinBatchesToRetain { get; init; } = 100;

    /// <summary>A state snapshot is written every this many versions; deltas otherwise.</summary>
    public int SnapshotInterval { get; init; } = 10;

    /// <summary>The clock (batch timestamps, trigger intervals).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Called on the driver thread after every batch.</summary>
    public Action<QueryProgress>? OnProgress { get; init; }

    /// <summary>Worker threads for split reads and partitions; defaults to the core count.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
}
