using Clickstream.Engine.Plan;

namespace Clickstream.Engine.Execution;

/// <summary>
/// Everything one micro-batch sees: its id, timestamp and two watermarks, and the memoised output of every node,
/// so a node read by two consumers is computed once. Created and used by the query's driver thread.
/// </summary>
public sealed class BatchExecution
{
    private readonly Dictionary<PlanNode, object> _outputs = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<PlanNode, int> _readsLeft;
    private readonly QueryRuntime _query;

    internal BatchExecution(QueryRuntime query, long batchId, long batchTimestampMs, long watermarkMs, long lateWatermarkMs, bool isDataBatch)
    {
        _query = query;
        _readsLeft = new Dictionary<PlanNode, int>(query.Consumers, ReferenceEqualityComparer.Instance);
        BatchId = batchId;
        BatchTimestampMs = batchTimestampMs;
        WatermarkMs = watermarkMs;
        LateWatermarkMs = lateWatermarkMs;
        IsDataBatch = isDataBatch;
    }

    /// <summary>The batch id (consecutive from 0, reused only when a batch is re-run after a failure).</summary>
    public long BatchId { get; }

    /// <summary>The processing time of the batch, as recorded in <c>offsets/N</c> (what <c>current_timestamp()</c> returns).</summary>
    public long BatchTimestampMs { get; }

    /// <summary>The watermark for eviction, finalising and timeouts: the batch's own watermark.</summary>
    public long WatermarkMs { get; }

    /// <summary>The watermark that filters late input: the previous batch's (Spark ≥ 3.4), or <see cref="WatermarkMs"/> in legacy mode.</summary>
    public long LateWatermarkMs { get; }

    /// <summary>False for a no-data batch run only to advance state (eviction, timeouts).</summary>
    public bool IsDataBatch { get; }

    internal CancellationToken Cancellation => _query.Cancellation;

    internal int ShufflePartitions => _query.ShufflePartitions;

    /// <summary>The rows of <paramref name="node"/> in this batch (computed on first use).</summary>
    internal List<T> Get<T>(DataStream<T> node)
    {
        if (!_outputs.TryGetValue(node, out var cached))
        {
            var runtime = (NodeRuntime<T>)_query.RuntimeOf(node);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var cpu = Profiling ? System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime : default;
            cached = runtime.Compute(this);
            if (Profiling)
            {
                Console.Error.WriteLine($"  node {node.Name}: {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms incl, cpu {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms incl, {((List<T>)cached).Count} rows");
            }

            _outputs[node] = cached;
        }

        if (ReferenceEquals(cached, Released))
        {
            throw new InvalidOperationException($"operator {node.Name} was read after its last consumer in this batch");
        }

        Release(node);
        return (List<T>)cached;
    }

    /// <summary>Makes sure <paramref name="node"/> ran in this batch (a read of its rows by a side output).</summary>
    internal void Ensure(PlanNode node)
    {
        if (!_outputs.ContainsKey(node))
        {
            _outputs[node] = _query.RuntimeOf(node).ComputeBoxed(this);
        }

        Release(node);
    }

    internal TRuntime RuntimeOf<TRuntime>(PlanNode node)
        where TRuntime : NodeRuntime => (TRuntime)_query.RuntimeOf(node);

    private static bool Profiling { get; } = Environment.GetEnvironmentVariable("CLICKSTREAM_PROFILE") == "1";

    /// <summary>One read done; after the last one the rows are dropped (a further read would recompute a stateful node, so it fails).</summary>
    private void Release(PlanNode node)
    {
        if (!_readsLeft.TryGetValue(node, out var left))
        {
            return;
        }

        if (left <= 0)
        {
            throw new InvalidOperationException($"operator {node.Name} was read more often than it has consumers in this batch");
        }

        if (left == 1)
        {
            _outputs[node] = Released;
        }

        _readsLeft[node] = left - 1;
    }

    private static readonly object Released = new();

    internal WatermarkStats StatsFor(PlanNode watermarkNode) => _query.Watermarks.StatsFor(watermarkNode);
}
