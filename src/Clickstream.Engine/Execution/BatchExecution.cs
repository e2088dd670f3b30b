using Clickstream.Engine.Plan;

namespace Clickstream.Engine.Execution;

/// <summary>
/// Everything one micro-batch sees: its id, timestamp and two watermarks, and the memoised output of every node,
/// so a node read by two consumers is computed once. Created and used by the query's driver thread.
/// </summary>
public sealed class BatchExecution
{
    private readonly Dictionary<PlanNode, object> _outputs = new(ReferenceEqualityComparer.Instance);
    private readonly QueryRuntime _query;

    internal BatchExecution(QueryRuntime query, long batchId, long batchTimestampMs, long watermarkMs, long lateWatermarkMs, bool isDataBatch)
    {
        _query = query;
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
        if (_outputs.TryGetValue(node, out var cached))
        {
            return (List<T>)cached;
        }

        var runtime = (NodeRuntime<T>)_query.RuntimeOf(node);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var rows = runtime.Compute(this);
        if (Environment.GetEnvironmentVariable("CLICKSTREAM_PROFILE") == "1")
        {
            Console.Error.WriteLine($"  node {node.Name}: {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms incl, cpu {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms incl, {rows.Count} rows");
        }

        _outputs[node] = rows;
        return rows;
    }

    /// <summary>Makes sure <paramref name="node"/> ran in this batch.</summary>
    internal void Ensure(PlanNode node)
    {
        if (!_outputs.ContainsKey(node))
        {
            _outputs[node] = _query.RuntimeOf(node).ComputeBoxed(this);
        }
    }

    internal TRuntime RuntimeOf<TRuntime>(PlanNode node)
        where TRuntime : NodeRuntime => (TRuntime)_query.RuntimeOf(node);

    internal WatermarkStats StatsFor(PlanNode watermarkNode) => _query.Watermarks.StatsFor(watermarkNode);
}
