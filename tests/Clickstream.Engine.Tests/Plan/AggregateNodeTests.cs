using Clickstream.Engine.Execution;
using Clickstream.Engine.Plan;
using Clickstream.Engine.Sources;
using Clickstream.Engine.State;
using Clickstream.Engine.Tests.Execution;
using Clickstream.Engine.Windows;

namespace Clickstream.Engine.Tests.Plan;

public sealed class AggregateNodeTests : IDisposable
{
    private readonly PlanQuery _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public void WindowAggregate_AppendModeWithoutWatermark_ThrowsInvalidOperation()
    {
        var clicks = QueryDefinition.From(new MemorySource<Click>());

        var e = Assert.Throws<InvalidOperationException>(() => clicks.WindowAggregate(
            WindowSpec.Tumbling(TimeSpan.FromSeconds(10)), c => c.Group, TestCodecs.String, Aggregates.Count<Click>(), ValueCodecs.Int64,
            (w, g, n) => (w, g, n), OutputMode.Append, eventTimeMicros: c => c.TimeMicros));

        Assert.Contains("Append output mode is not supported", e.Message, StringComparison.Ordinal);
        Assert.Contains("watermark", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aggregate_AppendModeOnKeyWithoutEventTime_ThrowsInvalidOperation()
    {
        var clicks = QueryDefinition.From(new MemorySource<Click>()).WithWatermark(c => c.TimeMicros, "10 seconds");
        var spec = new AggregationSpec<Click, string, long, (string, long)>(
            (c, keys) => keys.Add(c.Group), TestCodecs.String, Aggregates.Count<Click>(), ValueCodecs.Int64, (g, n) => (g, n), OutputMode.Append);

        var e = Assert.Throws<InvalidOperationException>(() => clicks.Aggregate(spec));

        Assert.Contains("watermark", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WindowAggregate_NoEventTimeColumn_ThrowsInvalidOperation()
    {
        var clicks = QueryDefinition.From(new MemorySource<Click>());

        var e = Assert.Throws<InvalidOperationException>(() => clicks.WindowAggregate(
            WindowSpec.Tumbling(TimeSpan.FromSeconds(10)), c => c.Group, TestCodecs.String, Aggregates.Count<Click>(), ValueCodecs.Int64,
            (w, g, n) => (w, g, n), OutputMode.Update));

        Assert.Contains("event-time column", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aggregate_UpdateModeManyRowsPerGroup_EmitsEachGroupOncePerBatch()
    {
        var source = new MemorySource<Click>();
        var output = new BatchRecorder<(string Group, long Count)>();
        var query = _run.Start(new QueryDefinition("update").ForeachBatch(QueryDefinition.From(source).Aggregate(StreamingQueryRecoveryTests.CountByGroup()), output.Deliver), partitions: 3);

        // Enough rows that the partial aggregation splits the batch into several chunks.
        source.AddData(Enumerable.Range(0, 60_000).Select(i => new Click(i, (i % 3) switch { 0 => "a", 1 => "b", _ => "c" }, 0)));
        query.ProcessAllAvailable();
        source.AddData(Enumerable.Range(0, 10_000).Select(i => new Click(i, "b", 0)));
        query.ProcessAllAvailable();

        Assert.Equal([("a", 20_000L), ("b", 20_000L), ("c", 20_000L)], output.RowsOf(0).Order());
        Assert.Equal([("b", 30_000L)], output.RowsOf(1));
        Assert.Equal(3, query.LastProgress!.StateOperators.Single().NumRowsTotal);
        Assert.Equal(1, query.LastProgress.StateOperators.Single().NumRowsUpdated);
    }

    [Fact]
    public void WindowAggregate_UpdateModeSlidingWindows_EmitsEachWindowOncePerBatch()
    {
        var source = new MemorySource<Click>();
        var output = new BatchRecorder<(long Start, string Group, long Count)>();
        var windows = QueryDefinition.From(source).WithWatermark(c => c.TimeMicros, "1 minute").WindowAggregate(
            new WindowSpec(10_000_000, 5_000_000), c => c.Group, TestCodecs.String, Aggregates.Count<Click>(), ValueCodecs.Int64,
            (w, g, n) => (w.StartMicros / 1_000_000, g, n), OutputMode.Update);
        var query = _run.Start(new QueryDefinition("sliding").ForeachBatch(windows, output.Deliver));

        source.AddData(Enumerable.Range(0, 1_000).Select(i => Click.AtSeconds(i, "a", 5 + (i % 5))));
        query.ProcessAllAvailable();

        Assert.Equal([(0L, "a", 1_000L), (5L, "a", 1_000L)], output.RowsOf(0).Order());
    }

    [Fact]
    public void Aggregate_CompleteMode_EmitsEveryGroupEveryBatch()
    {
        var source = new MemorySource<Click>();
        var output = new BatchRecorder<(string Group, long Count)>();
        var spec = StreamingQueryRecoveryTests.CountByGroup() with { Mode = OutputMode.Complete };
        var query = _run.Start(new QueryDefinition("complete").ForeachBatch(QueryDefinition.From(source).Aggregate(spec), output.Deliver));

        source.AddData(new Click(1, "a", 0), new Click(2, "b", 0));
        query.ProcessAllAvailable();
        source.AddData(new Click(3, "a", 0));
        query.ProcessAllAvailable();

        Assert.Equal([("a", 2L), ("b", 1L)], output.RowsOf(1).Order());
    }

    [Fact]
    public void LateRows_SlidingWindowPartlyLate_HoldsEachLateRowOnceAndCountsItsOpenWindow()
    {
        var source = new MemorySource<Click>();
        var output = new BatchRecorder<(long Start, string Group, long Count)>();
        var late = new BatchRecorder<Click>();
        var aggregated = QueryDefinition.From(source).WithWatermark(c => c.TimeMicros, "10 seconds").WindowAggregate(
            new WindowSpec(10_000_000, 5_000_000), c => c.Group, TestCodecs.String, Aggregates.Count<Click>(), ValueCodecs.Int64,
            (w, g, n) => (w.StartMicros / 1_000_000, g, n), OutputMode.Update);
        var query = _run.Start(new QueryDefinition("late").ForeachBatch(aggregated, output.Deliver).ForeachBatch(aggregated.LateRows, late.Deliver));
        source.AddData(Click.AtSeconds(1, "a", 32));
        query.ProcessAllAvailable();
        Assert.Equal(22_000, query.WatermarkMs);

        // 12 s: windows [5, 15) and [10, 20), both ended by 22 s → late.
        // 16 s: windows [10, 20) (late) and [15, 25) (open) → late, and still counted in [15, 25).
        // Spark counts dropped rows after partial aggregation: one per late group, here [5, 15) and [10, 20).
        source.AddData(Click.AtSeconds(2, "a", 12), Click.AtSeconds(3, "a", 16));
        query.RunNextBatch();

        Assert.Equal([2L, 3], late.LastRows.Select(c => c.Id));
        Assert.Equal([(15L, "a", 1L)], output.LastRows);
        Assert.Equal(2, query.LastProgress!.StateOperators.Single().NumRowsDroppedByWatermark);
    }
}
