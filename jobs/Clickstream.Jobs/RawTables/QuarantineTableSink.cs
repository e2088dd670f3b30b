using Clickstream.Delta.Parquet;
using Clickstream.Delta.Table;
using Clickstream.Engine.Sinks;
using Clickstream.Jobs.Streaming;
using Clickstream.Udfs;

namespace Clickstream.Jobs.RawTables;

/// <summary>
/// Writes every invalid line of a batch to the <c>quarantine</c> table with its reason, detail, source file and
/// byte offset, the event time when it could be read, the batch id and the ingest time; partitioned by the UTC
/// date of the ingest time. One file and one commit per batch (exactly once through the batch's <c>txn</c>).
/// Lines can be replayed from <c>raw_text</c> once the cause is fixed.
/// </summary>
internal sealed class QuarantineTableSink(LakeTableWriter writer, TimeProvider clock) : IBatchSink<InvalidRecord>
{
    public string Description => $"DeltaSink[{writer.Table.Name}]";

    public LakeTableWriter Writer => writer;

    public void AddBatch(long batchId, IReadOnlyList<InvalidRecord> rows)
    {
        if (rows.Count == 0 || writer.SnapshotFor(batchId) is not { } snapshot)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var ingestMicros = now.ToUnixTimeMilliseconds() * 1000;
        var n = rows.Count;
        var raw = new string?[n];
        var reason = new string?[n];
        var detail = new string?[n];
        var eventTime = new long[n];
        var eventTimeNull = new bool[n];
        var file = new string?[n];
        var offset = new long[n];
        var batch = new long[n];
        var ingest = new long[n];
        for (var i = 0; i < n; i++)
        {
            var r = rows[i];
            raw[i] = r.RawText;
            reason[i] = r.Reason.ToCode();
            detail[i] = r.Detail;
            eventTime[i] = r.TimestampMicros ?? 0;
            eventTimeNull[i] = r.TimestampMicros is null;
            file[i] = r.File;
            offset[i] = r.Offset;
            batch[i] = batchId;
            ingest[i] = ingestMicros;
        }

        ColumnVector[] columns =
        [
            new StringVector(raw, n),
            new StringVector(reason, n),
            new StringVector(detail, n),
            new TimestampVector(eventTime, eventTimeNull, n),
            new StringVector(file, n),
            new LongVector(offset, null, n),
            new LongVector(batch, null, n),
            new TimestampVector(ingest, null, n),
        ];
        var add = writer.WriteFile(snapshot, PartitionValues.FormatDate(DateOnly.FromDateTime(now.UtcDateTime)), columns);
        writer.Commit(snapshot, batchId, [add], n);
    }
}
