using Clickstream.Engine.Plan;
using Clickstream.Engine.Sinks;
using Clickstream.Engine.Sources;

namespace Clickstream.Engine.Execution;

/// <summary>
/// An immutable-once-started description of a streaming query: the streams to write and their sinks, in order.
/// Build streams with <see cref="From{T}"/> and the <see cref="DataStream{T}"/> operators.
/// </summary>
public sealed class QueryDefinition(string name)
{
    private readonly List<SinkBinding> _sinks = [];

    /// <summary>The query name shown in progress reports.</summary>
    public string Name { get; } = name;

    internal IReadOnlyList<SinkBinding> Sinks => _sinks;

    /// <summary>A stream reading <paramref name="source"/>.</summary>
    public static DataStream<T> From<T>(IStreamSource<T> source) => new SourceNode<T>(source);

    /// <summary>Writes <paramref name="stream"/> to <paramref name="sink"/>; sinks are called in the order they were added.</summary>
    public QueryDefinition WriteTo<T>(DataStream<T> stream, IBatchSink<T> sink)
    {
        _sinks.Add(new SinkBinding(stream, sink.Description, (batch, id) =>
        {
            var rows = batch.Get(stream);
            return (rows.Count, () => sink.AddBatch(id, rows));
        }));
        return this;
    }

    /// <summary>Spark's <c>foreachBatch</c>.</summary>
    public QueryDefinition ForeachBatch<T>(DataStream<T> stream, Action<long, IReadOnlyList<T>> write) =>
        WriteTo(stream, new ForeachBatchSink<T>(write));

    /// <summary>A sink binding: compute the rows for a batch, then deliver them.</summary>
    internal sealed record SinkBinding(PlanNode Stream, string Description, Func<BatchExecution, long, (int Rows, Action Deliver)> Prepare);
}
