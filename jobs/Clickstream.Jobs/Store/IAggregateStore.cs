using Clickstream.Jobs.Streaming;

namespace Clickstream.Jobs.Store;

/// <summary>
/// The aggregate store (docs/formats/aggregate-store.md): the stream job applies each batch once per query, however
/// often the engine delivers it; the reports and the dashboard read ranges of windows and the whole store. Two
/// implementations give the same answers for the same batches: <see cref="SqliteAggregateStore"/> (a local file) and
/// <see cref="DynamoDbAggregateStore"/> (a DynamoDB table). Open one with <see cref="AggregateStores.Open"/>.
/// Writing belongs to the query's driver thread; the SQLite store is one connection (one thread), the DynamoDB
/// store's reads may come from many threads.
/// </summary>
internal interface IAggregateStore : IDisposable
{
    /// <summary>"sqlite" or "dynamodb", for progress lines.</summary>
    string Kind { get; }

    /// <summary>The location as opened (an absolute path or <c>dynamodb://TABLE</c>).</summary>
    string Location { get; }

    /// <summary>The last batch id applied for <paramref name="queryId"/>, or -1.</summary>
    long LastBatchId(string queryId);

    /// <summary>
    /// Applies one batch: absolute rows replace a window's value, additive rows are added to it (summed per row first).
    /// Returns false, changing nothing, when the query already holds <paramref name="batchId"/> or a later batch. A batch
    /// whose writes were cut short by a crash is completed by its replay without counting anything twice.
    /// </summary>
    /// <param name="queryId">The streaming query.</param>
    /// <param name="batchId">The batch id; a replay carries the same rows.</param>
    /// <param name="rows">The rows.</param>
    /// <param name="now">The commit time recorded for the batch.</param>
    /// <param name="watermarkMicros">A lower bound of the query's watermark after the batch, when known (readers may cache final windows).</param>
    bool ApplyBatch(string queryId, long batchId, IReadOnlyList<StoreRow> rows, DateTimeOffset now, long? watermarkMicros);

    /// <summary>The most recently committed batch over all queries, or null when none was committed.</summary>
    StoreBatchInfo? NewestBatch();

    /// <summary>The end of the newest <c>events</c> window, or null for an empty store.</summary>
    long? NewestWindowEnd();

    /// <summary>Per metric (all but <c>active_users</c>), the sum of each key over the windows inside [from, to).</summary>
    IReadOnlyDictionary<string, List<(string Key, long Value)>> SumsByKey(long fromMicros, long toMicros);

    /// <summary>Distinct users over the windows inside [from, to): the union of their sketches.</summary>
    long ActiveUsers(long fromMicros, long toMicros);

    /// <summary>Events per window start, for the windows inside [from, to) that have any.</summary>
    IReadOnlyDictionary<long, long> EventsPerWindow(long fromMicros, long toMicros);

    /// <summary>Events, duplicates, invalid and late over the windows inside [from, to).</summary>
    StoreTotals Totals(long fromMicros, long toMicros);

    /// <summary>Every row in (metric, window_start, key) order, keys compared by UTF-8 bytes.</summary>
    IEnumerable<AggregateRecord> All();
}
