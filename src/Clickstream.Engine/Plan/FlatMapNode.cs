using System.Runtime.InteropServices;
using Clickstream.Engine.Execution;

namespace Clickstream.Engine.Plan;

/// <summary>
/// A stateless transformation (map, filter, flatMap). Large inputs are processed in parallel chunks whose outputs
/// are concatenated in input order, so the function must be free of shared mutable state (as in Spark).
/// </summary>
internal sealed class FlatMapNode<TIn, TOut>(DataStream<TIn> input, Action<TIn, BatchExecution, List<TOut>> transform, Func<TOut, long>? eventTime, string name)
    : DataStream<TOut>(name, eventTime, input)
{
    internal override NodeRuntime CreateRuntime(QueryRuntime query) => new Runtime(this, input, transform);

    private sealed class Runtime(FlatMapNode<TIn, TOut> node, DataStream<TIn> input, Action<TIn, BatchExecution, List<TOut>> transform) : NodeRuntime<TOut>(node)
    {
        public override List<TOut> Compute(BatchExecution batch)
        {
            var rows = batch.Get(input);
            var chunks = ParallelChunks.ChunkCount(rows.Count);
            var parts = new List<TOut>[chunks];
            ParallelChunks.Run(rows.Count, chunks, (c, from, to) =>
            {
                var span = CollectionsMarshal.AsSpan(rows)[from..to];
                var output = new List<TOut>(span.Length);
                foreach (var row in span)
                {
                    transform(row, batch, output);
                }

                parts[c] = output;
            }, batch.Cancellation);

            if (chunks == 1)
            {
                return parts[0];
            }

            var total = 0;
            foreach (var p in parts)
            {
                total += p.Count;
            }

            var all = new List<TOut>(total);
            foreach (var p in parts)
            {
                all.AddRange(p);
            }

            return all;
        }
    }
}
