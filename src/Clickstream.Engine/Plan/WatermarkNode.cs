using Clickstream.Engine.Execution;

namespace Clickstream.Engine.Plan;

/// <summary>
/// Spark's <c>EventTimeWatermark</c>: passes rows through unchanged and records the event-time statistics of
/// every row (late ones included) from which the next batch's watermark is computed. It drops nothing itself.
/// </summary>
internal sealed class WatermarkNode<T>(DataStream<T> input, Func<T, long> eventTime, long delayMs)
    : DataStream<T>($"EventTimeWatermark[{delayMs}ms]", eventTime, input), IWatermarkNode
{
    public override bool HasWatermark => true;

    public long DelayMs => delayMs;

    internal override long? WatermarkDelayMs => delayMs;

    internal override NodeRuntime CreateRuntime(QueryRuntime query) => new Runtime(this, input, EventTimeMicros!);

    private sealed class Runtime(WatermarkNode<T> node, DataStream<T> input, Func<T, long> eventTime) : NodeRuntime<T>(node)
    {
        public override List<T> Compute(BatchExecution batch)
        {
            var rows = batch.Get(input);
            var chunks = ParallelChunks.ChunkCount(rows.Count);
            var partial = new WatermarkStats[chunks];
            ParallelChunks.Run(rows.Count, chunks, (c, from, to) =>
            {
                var stats = new WatermarkStats();
                foreach (var row in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows)[from..to])
                {
                    stats.Add(eventTime(row));
                }

                partial[c] = stats;
            }, batch.Cancellation);

            var total = batch.StatsFor(Node);
            foreach (var p in partial)
            {
                total.Merge(p);
            }

            return rows;
        }
    }
}

/// <summary>Marks the plan nodes the watermark tracker follows.</summary>
internal interface IWatermarkNode
{
    long DelayMs { get; }
}
