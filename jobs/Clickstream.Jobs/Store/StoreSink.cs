using Clickstream.Engine.Sinks;
using Clickstream.Jobs.Streaming;

namespace Clickstream.Jobs.Store;

/// <summary>Writes each batch's rows to the <see cref="AggregateStore"/>, idempotently per batch id.</summary>
internal sealed class StoreSink(AggregateStore store, TimeProvider time) : IBatchSink<StoreRow>
{
    /// <summary>The query id the batch ids belong to (set once the query has started).</summary>
    public string QueryId { get; set; } = string.Empty;

    public string Description => "AggregateStore[sqlite]";

    public long BatchesSkipped { get; private set; }

    public void AddBatch(long batchId, IReadOnlyList<StoreRow> rows)
    {
        if (QueryId.Length == 0)
        {
            throw new InvalidOperationException("the store sink has no query id");
        }

        if (!store.ApplyBatch(QueryId, batchId, rows, time.GetUtcNow()))
        {
            BatchesSkipped++;
        }
    }
}
