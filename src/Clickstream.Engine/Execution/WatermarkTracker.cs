using Clickstream.Engine.Plan;

namespace Clickstream.Engine.Execution;

/// <summary>
/// The global event-time watermark (streaming-semantics.md §2.1): each watermark node proposes
/// <c>max event time − delay</c> after a batch; its own value never decreases; nodes without data count as 0;
/// the global value is the min (or max) of the node values and only moves forward. Per-node values are not
/// persisted, exactly as in Spark, so after a restart they start empty. Owned by the driver thread.
/// </summary>
internal sealed class WatermarkTracker
{
    private readonly List<PlanNode> _nodes;
    private readonly Dictionary<PlanNode, WatermarkStats> _stats = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<PlanNode, long> _nodeWatermarks = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<PlanNode, long> _delays = new(ReferenceEqualityComparer.Instance);

    public WatermarkTracker(IEnumerable<(PlanNode Node, long DelayMs)> nodes, WatermarkPolicy policy)
    {
        _nodes = [];
        foreach (var (node, delay) in nodes)
        {
            _nodes.Add(node);
            _delays[node] = delay;
            _stats[node] = new WatermarkStats();
        }

        Policy = policy;
    }

    public WatermarkPolicy Policy { get; set; }

    public long GlobalWatermarkMs { get; private set; }

    public bool HasWatermarkNodes => _nodes.Count > 0;

    public WatermarkStats StatsFor(PlanNode node) => _stats[node];

    /// <summary>Restores the global value after a restart (per-node values start empty).</summary>
    public void Restore(long globalMs)
    {
        GlobalWatermarkMs = globalMs;
        _nodeWatermarks.Clear();
    }

    public void ResetBatchStats()
    {
        foreach (var s in _stats.Values)
        {
            s.Reset();
        }
    }

    /// <summary>The batch's combined event-time statistics over all watermark nodes, or null when no row had an event time.</summary>
    public WatermarkStats? CombinedStats()
    {
        WatermarkStats? all = null;
        foreach (var s in _stats.Values)
        {
            if (s.Count > 0)
            {
                all ??= new WatermarkStats();
                all.Merge(s);
            }
        }

        return all;
    }

    /// <summary>Folds the batch's statistics into the node watermarks and advances the global one if the policy allows.</summary>
    public void UpdateAfterBatch()
    {
        if (_nodes.Count == 0)
        {
            return;
        }

        long? chosen = null;
        foreach (var node in _nodes)
        {
            var s = _stats[node];
            if (s.Count > 0)
            {
                var proposal = s.MaxMs - _delays[node];
                if (!_nodeWatermarks.TryGetValue(node, out var current) || proposal > current)
                {
                    _nodeWatermarks[node] = proposal;
                }
            }

            var value = _nodeWatermarks.TryGetValue(node, out var w) ? w : 0;
            chosen = chosen is null ? value : Policy == WatermarkPolicy.Min ? Math.Min(chosen.Value, value) : Math.Max(chosen.Value, value);
        }

        if (chosen > GlobalWatermarkMs)
        {
            GlobalWatermarkMs = chosen.Value;
        }
    }
}
