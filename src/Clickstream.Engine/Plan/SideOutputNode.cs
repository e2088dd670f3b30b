using Clickstream.Engine.Execution;

namespace Clickstream.Engine.Plan;

/// <summary>
/// A secondary output of an operator (its late rows, its duplicates): computing it makes the operator run, then
/// returns the rows the operator put aside in this batch. This is how nothing is dropped silently.
/// </summary>
internal sealed class SideOutputNode<T>(PlanNode owner, string name, Func<BatchExecution, List<T>> read, Func<T, long>? eventTime)
    : DataStream<T>(name, eventTime, owner)
{
    internal override NodeRuntime CreateRuntime(QueryRuntime query) => new Runtime(this, owner, read);

    private sealed class Runtime(SideOutputNode<T> node, PlanNode owner, Func<BatchExecution, List<T>> read) : NodeRuntime<T>(node)
    {
        public override List<T> Compute(BatchExecution batch)
        {
            batch.Ensure(owner);
            return read(batch);
        }
    }
}
