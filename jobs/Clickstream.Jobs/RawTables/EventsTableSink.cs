using Clickstream.Delta.Log;
using Clickstream.Delta.Parquet;
using Clickstream.Delta.Table;
using Clickstream.Engine.Sinks;
using Clickstream.Udfs;
using Clickstream.Udfs.Raw;

namespace Clickstream.Jobs.RawTables;

/// <summary>
/// Writes every valid, non-duplicate event of a batch (late ones included) to the raw <c>events</c> table: rows
/// grouped by <c>event_date</c>, each group split into files of at most <see cref="MaxRowsPerFile"/> rows, the
/// files built in parallel from the events' raw lines, then one commit for the batch.
/// </summary>
internal sealed class EventsTableSink(LakeTableWriter writer) : IBatchSink<ClickEvent>
{
    // Extractors keep warm string caches and column buffers are large: both are reused across chunks and batches.
    private readonly System.Collections.Concurrent.ConcurrentBag<RawEventExtractor> _extractors = [];
    private readonly System.Collections.Concurrent.ConcurrentBag<RawEventColumns> _buffers = [];

    /// <summary>Rows per data file; a large batch is also split so that every core writes a file.</summary>
    public const int MaxRowsPerFile = 1 << 20;

    /// <summary>A day with fewer rows in a batch is written as one file (small files cost more than one core's time).</summary>
    private const int MinRowsToSplit = 100_000;

    private const long MicrosPerDay = 86_400_000_000L;

    public string Description => $"DeltaSink[{writer.Table.Name}]";

    public LakeTableWriter Writer => writer;

    public void AddBatch(long batchId, IReadOnlyList<ClickEvent> rows)
    {
        if (rows.Count == 0 || writer.SnapshotFor(batchId) is not { } snapshot)
        {
            return;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var chunks = Chunks(rows);
        var files = new AddAction[chunks.Count];
        Parallel.For(0, chunks.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var (day, indexes) = chunks[i];
            var t0 = clock.Elapsed;
            var columns = _buffers.TryTake(out var reused) ? reused : new RawEventColumns(indexes.Count);
            columns.Clear();
            columns.EnsureCapacity(indexes.Count);
            var extractor = _extractors.TryTake(out var warm) ? warm : new RawEventExtractor();
            foreach (var index in indexes)
            {
                var line = rows[index].RawLine;
                if (line.IsEmpty || !extractor.Append(line.Span, columns))
                {
                    throw new InvalidOperationException($"event {index} of batch {batchId} has no raw line the table writer can read; the decoder must keep raw lines when the lake is on");
                }
            }

            var t1 = clock.Elapsed;
            files[i] = writer.WriteFile(snapshot, PartitionValues.FormatDate(day), Vectors(columns));
            _extractors.Add(extractor);
            columns.Clear();
            _buffers.Add(columns);
            if (Environment.GetEnvironmentVariable("CLICKSTREAM_PROFILE") == "1")
            {
                Console.Error.WriteLine($"lake chunk {i}: {indexes.Count} rows, extract {(t1 - t0).TotalMilliseconds:F0} ms, write {(clock.Elapsed - t1).TotalMilliseconds:F0} ms");
            }
        });

        var tc = clock.Elapsed;
        writer.Commit(snapshot, batchId, files, rows.Count);
        if (Environment.GetEnvironmentVariable("CLICKSTREAM_PROFILE") == "1")
        {
            Console.Error.WriteLine($"lake batch {batchId}: {chunks.Count} chunks, files {tc.TotalMilliseconds:F0} ms, commit {(clock.Elapsed - tc).TotalMilliseconds:F0} ms");
        }
    }

    /// <summary>Row indexes grouped by UTC event date, in input order, split into file-sized chunks.</summary>
    private static List<(DateOnly Day, List<int> Rows)> Chunks(IReadOnlyList<ClickEvent> rows)
    {
        var byDay = new SortedDictionary<long, List<int>>();
        for (var i = 0; i < rows.Count; i++)
        {
            var day = Math.DivRem(rows[i].TimestampMicros, MicrosPerDay, out var rem) - (rem < 0 ? 1 : 0);
            if (!byDay.TryGetValue(day, out var list))
            {
                byDay[day] = list = [];
            }

            list.Add(i);
        }

        // Split big groups so that both cores have work, but keep files as large as possible.
        var parallelism = Math.Max(1, Environment.ProcessorCount);
        var result = new List<(DateOnly, List<int>)>();
        foreach (var (day, list) in byDay)
        {
            var pieces = Math.Max((list.Count + MaxRowsPerFile - 1) / MaxRowsPerFile, list.Count >= MinRowsToSplit ? parallelism : 1);
            var size = (list.Count + pieces - 1) / pieces;
            var date = DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)day);
            for (var start = 0; start < list.Count; start += size)
            {
                result.Add((date, list.GetRange(start, Math.Min(size, list.Count - start))));
            }
        }

        return result;
    }

    private static ColumnVector[] Vectors(RawEventColumns c)
    {
        var n = c.Count;
        return
        [
            new StringVector(c.EventId, n),
            new StringVector(c.EventType, n),
            new TimestampVector(c.EventTime, null, n),
            new StringVector(c.UserId, n),
            new StringVector(c.SessionId, n),
            new StringVector(c.Page, n),
            new StringVector(c.Category, n),
            new StringVector(c.Device, n),
            new StringVector(c.ProductId, n),
            new DoubleVector(c.Price, c.PriceIsNull, n),
            new LongVector(c.Quantity, c.QuantityIsNull, n),
            new StringVector(c.OrderId, n),
            new StringVector(c.Referrer, n),
            new StringVector(c.UserAgent, n),
            new IntegerVector(c.SchemaVersion, c.SchemaVersionIsNull, n),
            new StringVector(c.ClientIp, n),
            new TimestampVector(c.ReceivedAt, c.ReceivedAtIsNull, n),
            new StringVector(c.Properties, n),
        ];
    }
}
