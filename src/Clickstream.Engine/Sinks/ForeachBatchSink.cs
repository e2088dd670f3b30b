namespace Clickstream.Engine.Sinks;

/// <summary>Adapts a delegate to <see cref="IBatchSink{T}"/>.</summary>
/// <typeparam name="T">The row type.</typeparam>
public sealed class ForeachBatchSink<T>(Action<long, IReadOnlyList<T>> write, string description = "ForeachBatchSink") : IBatchSink<T>
{
    /// <inheritdoc />
    public string Description => description;

    /// <inheritdoc />
    public void AddBatch(long batchId, IReadOnlyList<T> rows) => write(batchId, rows);
}
