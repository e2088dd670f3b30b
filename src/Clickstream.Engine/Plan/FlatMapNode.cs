using Clickstream.Engine.Execution;

namespace Clickstream.Engine.Plan;

/// <summary>A stateless transformation (map, filter, flatMap).</summary>
internal sealed class FlatMapNode<TIn, TOut>(DataStream<TIn> input, Action<TIn, BatchExecution, List<TOut>> transform, Func<TOut, long>? eventTime, string name)
    : DataStream<TOut>(name, eventTime, input)
{
    internal override NodeRuntime CreateRuntime(QueryRuntime query) => new Runtime(this, input, transform);

    private sealed class Runtime(FlatMapNode<TIn, TOut> node, DataStream<TIn> input, Action<TIn, BatchExecution, List<TOut>> transform) : NodeRuntime<TOut>(node)
    {
        public override List<TOut> Compute(BatchExecution batch)
        {
            var rows = batch.Get(input);
            var output = new List<TOut>(rows.Count);
            foreach (var row in rows)
            {
                transform(row, batch, output);
            }

            return output;
        }
    }
}
