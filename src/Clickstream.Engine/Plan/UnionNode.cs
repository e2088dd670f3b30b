using Clickstream.Engine.Execution;

namespace Clickstream.Engine.Plan;

/// <summary>The concatenation of several streams of the same type, in input order.</summary>
internal sealed class UnionNode<T>(DataStream<T>[] inputs)
    : DataStream<T>("Union", CommonEventTime(inputs), inputs)
{
    internal override NodeRuntime CreateRuntime(QueryRuntime query) => new Runtime(this, inputs);

    private static Func<T, long>? CommonEventTime(DataStream<T>[] inputs)
    {
        foreach (var i in inputs)
        {
            if (i.EventTimeMicros is not null)
            {
                return i.EventTimeMicros;
            }
        }

        return null;
    }

    private sealed class Runtime(UnionNode<T> node, DataStream<T>[] inputs) : NodeRuntime<T>(node)
    {
        public override List<T> Compute(BatchExecution batch)
        {
            var output = new List<T>();
            foreach (var input in inputs)
            {
                output.AddRange(batch.Get(input));
            }

            return output;
        }
    }
}
