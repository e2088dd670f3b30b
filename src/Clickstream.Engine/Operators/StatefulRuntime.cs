using Clickstream.Engine.Checkpointing;
using Clickstream.Engine.Execution;
using Clickstream.Engine.Plan;
using Clickstream.Engine.State;

namespace Clickstream.Engine.Operators;

/// <summary>
/// The common part of every stateful operator's runtime: an operator id (its state folder), one state object per
/// shuffle partition processed in parallel, versioned load/commit (batch N loads version N and commits N+1),
/// the no-data-batch rule and the per-batch counters of the progress report.
/// </summary>
internal abstract class StatefulRuntime<TOut> : NodeRuntime<TOut>, IStatefulRuntime
{
    protected StatefulRuntime(PlanNode node, QueryRuntime query)
        : base(node)
    {
        OperatorId = query.NextOperatorId();
        Partitions = query.ShufflePartitions;
    }

    public int OperatorId { get; }

    public int Partitions { get; }

    public string OperatorName => Node.Name;

    /// <summary>The eviction watermark of the last executed batch; null before the first batch.</summary>
    protected long? LastEvictionWatermarkMs { get; private set; }

    public OperatorProgress LastProgress { get; private set; } = OperatorProgress.Empty;

    protected abstract IPartitionState StateOf(int partition);

    public abstract bool ShouldRunAnotherBatch(long newWatermarkMs);

    public void Load(CheckpointLog log, long version)
    {
        Parallel.For(0, Partitions, p => StateOf(p).Load(log.StateDir(OperatorId, p), version));
    }

    public void Commit(CheckpointLog log, long version, bool snapshot, long retainVersions)
    {
        Parallel.For(0, Partitions, p =>
        {
            var dir = log.StateDir(OperatorId, p);
            StateOf(p).Commit(dir, version, snapshot);
            if (snapshot)
            {
                StateVersions.Purge(dir, version, retainVersions);
            }
        });
    }

    public sealed override List<TOut> Compute(BatchExecution batch)
    {
        var counters = new PartitionCounters[Partitions];
        var outputs = Execute(batch, counters);
        LastEvictionWatermarkMs = Node.HasWatermark ? batch.WatermarkMs : null;
        long total = 0;
        long memory = 0;
        for (var p = 0; p < Partitions; p++)
        {
            total += StateOf(p).Count;
            memory += StateOf(p).MemoryBytes;
        }

        long updated = 0, removed = 0, dropped = 0;
        foreach (var c in counters)
        {
            updated += c.Updated;
            removed += c.Removed;
            dropped += c.DroppedByWatermark;
        }

        LastProgress = new OperatorProgress(OperatorName, total, updated, removed, dropped, memory, Partitions);
        return outputs;
    }

    /// <summary>Runs the batch over all partitions (typically with <see cref="Parallel"/>), filling one counter per partition.</summary>
    protected abstract List<TOut> Execute(BatchExecution batch, PartitionCounters[] counters);

    /// <summary>Concatenates per-partition outputs in partition order, so output order is deterministic.</summary>
    protected static List<T> Concat<T>(List<T>[] parts)
    {
        var n = 0;
        foreach (var p in parts)
        {
            n += p.Count;
        }

        var all = new List<T>(n);
        foreach (var p in parts)
        {
            all.AddRange(p);
        }

        return all;
    }

    /// <summary>
    /// Routes rows to partitions by the key's stable hash without copying them: returns each row's key and, per
    /// partition, the indexes of its rows in arrival order.
    /// </summary>
    protected (TKey[] Keys, List<int>[] Partitions) Shuffle<TRow, TKey>(List<TRow> rows, Func<TRow, TKey> key, IKeyCodec<TKey> codec)
    {
        var keys = new TKey[rows.Count];
        var partitionOf = new int[rows.Count];
        ParallelChunks.Run(rows.Count, ParallelChunks.ChunkCount(rows.Count), (_, from, to) =>
        {
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows);
            for (var i = from; i < to; i++)
            {
                var k = key(span[i]);
                keys[i] = k;
                partitionOf[i] = PartitionOf(codec.StableHash(k));
            }
        }, CancellationToken.None);

        var parts = new List<int>[Partitions];
        for (var p = 0; p < Partitions; p++)
        {
            parts[p] = new List<int>((rows.Count / Partitions) + 16);
        }

        for (var i = 0; i < partitionOf.Length; i++)
        {
            parts[partitionOf[i]].Add(i);
        }

        return (keys, parts);
    }

    protected int PartitionOf(uint hash) => (int)(hash % (uint)Partitions);
}

/// <summary>Counters one partition fills during a batch (no sharing between threads).</summary>
internal struct PartitionCounters
{
    public long Updated;
    public long Removed;
    public long DroppedByWatermark;
}
