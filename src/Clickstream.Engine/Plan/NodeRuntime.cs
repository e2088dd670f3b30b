using Clickstream.Engine.Execution;

namespace Clickstream.Engine.Plan;

/// <summary>The per-run object of a plan node. Owned by the query's driver; <see cref="NodeRuntime{T}.Compute"/> runs once per batch.</summary>
internal abstract class NodeRuntime
{
    protected NodeRuntime(PlanNode node) => Node = node;

    public PlanNode Node { get; }

    /// <summary>Computes the node's rows without knowing their type (used to force an operator before reading its side outputs).</summary>
    public abstract object ComputeBoxed(BatchExecution batch);
}

/// <summary>A runtime that produces rows of <typeparamref name="T"/> for a batch.</summary>
internal abstract class NodeRuntime<T>(PlanNode node) : NodeRuntime(node)
{
    /// <summary>Computes the node's rows for <paramref name="batch"/>; inputs are read through the batch, which memoises them.</summary>
    public abstract List<T> Compute(BatchExecution batch);

    public sealed override object ComputeBoxed(BatchExecution batch) => Compute(batch);
}
