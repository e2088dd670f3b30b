using Clickstream.Engine.Execution;

namespace Clickstream.Engine.Plan;

/// <summary>
/// A node of a query definition. Definitions are immutable and hold no running state; the executor asks each
/// node for a runtime object (<see cref="NodeRuntime"/>) that owns buffers, state and counters for one run.
/// </summary>
public abstract class PlanNode
{
    private protected PlanNode(string name, params PlanNode[] inputs)
    {
        Name = name;
        Inputs = inputs;
    }

    /// <summary>A short operator name for progress reports and errors.</summary>
    public string Name { get; }

    internal IReadOnlyList<PlanNode> Inputs { get; }

    /// <summary>True when a watermark node feeds this node (Spark: the input has an event-time watermark).</summary>
    public virtual bool HasWatermark
    {
        get
        {
            foreach (var input in Inputs)
            {
                if (input.HasWatermark)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The delay of the nearest upstream watermark (ms); the smallest one when several feed the node.</summary>
    internal virtual long? WatermarkDelayMs
    {
        get
        {
            long? best = null;
            foreach (var input in Inputs)
            {
                var d = input.WatermarkDelayMs;
                if (d is not null && (best is null || d < best))
                {
                    best = d;
                }
            }

            return best;
        }
    }

    internal abstract NodeRuntime CreateRuntime(QueryRuntime query);
}
