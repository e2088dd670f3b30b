namespace Clickstream.Engine.Sinks;

/// <summary>
/// A <c>foreachBatch</c>-style sink: called once per executed micro-batch, including no-data batches, with the
/// batch id. Delivery is at-least-once: after a crash the same batch id is delivered again with the same rows,
/// so an exactly-once effect needs the sink to ignore batch ids it has already committed.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
public interface IBatchSink<in T>
{
    /// <summary>A short description for progress reports.</summary>
    string Description { get; }

    /// <summary>Writes the batch's rows. Runs on the query's driver thread; an exception fails the query before the batch commits.</summary>
    void AddBatch(long batchId, IReadOnlyList<T> rows);
}
