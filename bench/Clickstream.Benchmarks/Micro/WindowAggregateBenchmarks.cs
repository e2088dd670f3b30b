using System.Globalization;
using BenchmarkDotNet.Attributes;
using Clickstream.Engine.Execution;
using Clickstream.Engine.Plan;
using Clickstream.Engine.Sources;
using Clickstream.Engine.State;
using Clickstream.Engine.Windows;
using Clickstream.Udfs;

namespace Clickstream.Benchmarks.Micro;

/// <summary>
/// One micro-batch of 100,000 parsed events through a small query on the engine: a 10-minute watermark,
/// <c>DropDuplicatesWithinWatermark</c> on the event key (the job's <see cref="CompactDedupState"/>) and a
/// one-minute tumbling <c>WindowAggregate</c> counting events by type, in update mode, into a
/// <c>foreachBatch</c> sink. Reported per input row. Each invocation starts a fresh query on an empty checkpoint,
/// so the figure includes planning, the offset/commit log writes and the state files of one batch.
/// </summary>
[MemoryDiagnoser]
public class WindowAggregateBenchmarks
{
    public const int Rows = 100_000;

    private static readonly WindowSpec Minute = WindowSpec.Tumbling(TimeSpan.FromMinutes(1));

    private ClickEvent[] _events = null!;
    private string _root = null!;
    private int _run;
    private long _outputRows;

    [GlobalSetup]
    public void Setup()
    {
        _events = SampleEvents.ValidEvents(Rows);
        _root = Path.Combine(Path.GetTempPath(), "clickstream-bench-window-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        var output = RunBatch();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// one batch: {Rows:N0} input rows → {output:N0} (window, event type) rows out"));
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(OperationsPerInvoke = Rows, Description = "dedup + 1-min window count, one 100k-row batch (per row)")]
    public long RunBatch()
    {
        var source = new MemorySource<ClickEvent>("bench");
        source.AddData(_events);
        var unique = QueryDefinition.From(source)
            .WithWatermark(e => e.TimestampMicros, 10 * 60 * 1000)
            .DropDuplicatesWithinWatermark(e => e.EventKey, KeyCodecs.UInt128, LateRowPolicy.Keep, () => new CompactDedupState());
        var counts = unique.WindowAggregate<string?, long, (long Start, string? Type, long Count)>(
            Minute,
            e => e.EventType,
            KeyCodecs.String,
            Aggregates.Count<ClickEvent>(),
            ValueCodecs.Int64,
            (w, type, n) => (w.StartMicros, type, n),
            OutputMode.Update);

        _outputRows = 0;
        var definition = new QueryDefinition("bench").ForeachBatch(counts, (_, rows) => _outputRows += rows.Count);
        var checkpoint = Path.Combine(_root, (_run++).ToString(CultureInfo.InvariantCulture));
        using var query = StreamingQuery.Start(definition, new QueryOptions { CheckpointPath = checkpoint });
        query.RunNextBatch(allowNoDataBatch: false);
        return _outputRows;
    }
}
