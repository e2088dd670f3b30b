using Clickstream.Engine.Sinks;
using Clickstream.Jobs.Streaming;

namespace Clickstream.Jobs.Store;

/// <summary>
/// Writes each batch's rows to an <see cref="IAggregateStore"/>, idempotently per batch id. Runs on the query's
/// driver thread. Given the job's watermark delay, it also tells the store a lower bound of the watermark: the
/// newest <c>events</c> window start seen minus the delay (that window holds an event at or after its start, and
/// the watermark is the newest event time minus the delay), which lets readers treat older windows as final.
/// </summary>
internal sealed class StoreSink(IAggregateStore store, TimeProvider time, long? watermarkDelayMs = null) : IBatchSink<StoreRow>
{
    private long? _newestEventsStart;

    /// <summary>The query id the batch ids belong to (set once the query has started).</summary>
    public string QueryId { get; set; } = string.Empty;

    public string Description => $"AggregateStore[{store.Kind}]";

    public long BatchesSkipped { get; private set; }

    public void AddBatch(long batchId, IReadOnlyList<StoreRow> rows)
    {
        if (QueryId.Length == 0)
        {
            throw new InvalidOperationException("the store sink has no query id");
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (!row.Additive && row.Metric == Metric.Events && (_newestEventsStart is not { } s || row.WindowStartMicros > s))
            {
                _newestEventsStart = row.WindowStartMicros;
            }
        }

        long? watermark = watermarkDelayMs is { } delay && _newestEventsStart is { } start ? start - (delay * 1000) : null;
        if (!store.ApplyBatch(QueryId, batchId, rows, time.GetUtcNow(), watermark))
        {
            BatchesSkipped++;
        }
    }
}
