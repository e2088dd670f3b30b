using Clickstream.Engine.Checkpointing;
using Clickstream.Engine.Execution;
using Clickstream.Engine.Plan;
using Clickstream.Engine.Sources;
using Clickstream.Engine.State;
using Clickstream.Engine.Windows;

namespace Clickstream.Engine.Tests.Execution;

public sealed class StreamingQueryRecoveryTests : IDisposable
{
    private readonly TempDirectory _dir = new("clickstream-recovery");
    private readonly TestClock _clock = new(1_000);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Start_AfterSinkFailedOnBatch_ReRunsItWithSameIdRowsAndTimestampWithoutDoubleCounting()
    {
        var source = new MemorySource<Click>();
        var clicks = QueryDefinition.From(source);
        var stamped = new BatchRecorder<(long BatchId, long TimestampMs, Click Click)>();
        var counts = new BatchRecorder<(string Group, long Count)>();
        var definition = new QueryDefinition("recovery")
            .ForeachBatch(clicks.FlatMapWithBatch<(long, long, Click)>((c, b, o) => o.Add((b.BatchId, b.BatchTimestampMs, c))), stamped.Deliver)
            .ForeachBatch(clicks.Aggregate(CountByGroup()), counts.Deliver);

        var query = Start(definition);
        source.AddData(new Click(1, "a", 0), new Click(2, "b", 0));
        query.ProcessAllAvailable();

        _clock.NowMs = 2_000;
        source.AddData(new Click(3, "a", 0), new Click(4, "a", 0));
        counts.FailBatch = 1;
        Assert.Throws<InjectedFailure>(() => query.ProcessAllAvailable());
        var firstAttempt = stamped.RowsOf(1);
        var plannedOffsets = File.ReadAllText(_dir.Combine("offsets", "1"));
        Assert.False(File.Exists(_dir.Combine("commits", "1")));
        Assert.Throws<InvalidOperationException>(() => query.RunNextBatch());
        query.Dispose();

        // Time moves on and more data arrives before the restart; the re-run must not see either.
        _clock.NowMs = 9_000;
        source.AddData(new Click(5, "b", 0));
        using var restarted = Start(definition);
        Assert.Equal(1, restarted.NextBatchId);
        Assert.True(restarted.RunNextBatch());

        Assert.Equal([0L, 1, 1], stamped.BatchIds);
        Assert.Equal(firstAttempt, stamped.RowsOf(1));
        Assert.All(stamped.RowsOf(1), r => Assert.Equal((1L, 2_000L), (r.BatchId, r.TimestampMs)));
        Assert.Equal([3L, 4], stamped.RowsOf(1).Select(r => r.Click.Id));
        Assert.Equal(2_000, restarted.LastProgress!.Timestamp.ToUnixTimeMilliseconds());
        Assert.Equal(plannedOffsets, File.ReadAllText(_dir.Combine("offsets", "1")));
        Assert.Equal([0L, 1], counts.BatchIds);
        Assert.Equal([("a", 3L)], counts.RowsOf(1));

        restarted.ProcessAllAvailable();
        Assert.Equal([0L, 1, 1, 2], stamped.BatchIds);
        Assert.All(stamped.RowsOf(2), r => Assert.Equal(9_000, r.TimestampMs));
        Assert.Equal([("b", 2L)], counts.RowsOf(2));
    }

    [Fact]
    public void Start_AfterCommittedBatches_ContinuesWithNextIdAndRestoredWatermark()
    {
        var source = new MemorySource<Click>();
        var windows = WindowCounts(source, out var late);
        var output = new BatchRecorder<(long Start, string Group, long Count)>();
        var definition = new QueryDefinition("restore")
            .ForeachBatch(windows, output.Deliver)
            .ForeachBatch(late, new BatchRecorder<Click>().Deliver);

        long nextId;
        long watermark;
        using (var query = Start(definition))
        {
            source.AddData(Click.AtSeconds(1, "a", 5), Click.AtSeconds(2, "a", 12));
            query.ProcessAllAvailable();
            source.AddData(Click.AtSeconds(3, "a", 47));
            query.ProcessAllAvailable();
            nextId = query.NextBatchId;
            watermark = query.WatermarkMs;
        }

        Assert.Equal(37_000, watermark);
        Assert.True(File.Exists(_dir.Combine("commits", (nextId - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))));

        var lateRows = new BatchRecorder<Click>();
        var definition2 = new QueryDefinition("restore")
            .ForeachBatch(windows, output.Deliver)
            .ForeachBatch(late, lateRows.Deliver);
        using var restarted = Start(definition2);
        Assert.Equal(nextId, restarted.NextBatchId);
        Assert.Equal(watermark, restarted.WatermarkMs);

        // 25 s is behind the restored watermark (37 s) in a window that ended at 30 s: dropped as late.
        source.AddData(Click.AtSeconds(4, "a", 25), Click.AtSeconds(5, "a", 41));
        Assert.True(restarted.RunNextBatch());
        Assert.Equal(nextId, output.Deliveries[^1].BatchId);
        Assert.Equal([4L], lateRows.RowsOf(nextId).Select(c => c.Id));
        Assert.Equal(watermark, restarted.LastProgress!.BatchWatermarkMs);
    }

    [Fact]
    public void Start_CheckpointFixesPartitionsAndPolicy_LaterOptionsDoNotChangeThem()
    {
        var source = new MemorySource<Click>();
        var counts = new BatchRecorder<(string Group, long Count)>();
        var definition = new QueryDefinition("conf").ForeachBatch(QueryDefinition.From(source).Aggregate(CountByGroup()), counts.Deliver);
        using (var query = Start(definition, partitions: 3))
        {
            source.AddData(new Click(1, "a", 0), new Click(2, "b", 0), new Click(3, "c", 0));
            query.ProcessAllAvailable();
        }

        using (var restarted = Start(definition, partitions: 5))
        {
            source.AddData(new Click(4, "a", 0));
            restarted.ProcessAllAvailable();
        }

        Assert.Equal([("a", 2L)], counts.RowsOf(1));
        Assert.Equal(3, Directory.EnumerateDirectories(_dir.Combine("state", "0")).Count());
        Assert.Equal("3", new CheckpointLog(_dir.Path).ReadOffsets(1).Conf["spark.sql.shuffle.partitions"]);
    }

    internal static AggregationSpec<Click, string, long, (string Group, long Count)> CountByGroup() =>
        new((c, keys) => keys.Add(c.Group), TestCodecs.String, Aggregates.Count<Click>(), ValueCodecs.Int64, (g, n) => (g, n), OutputMode.Update);

    /// <summary>Counts per 10-second tumbling window and group, with a 10-second watermark, in append mode.</summary>
    internal static DataStream<(long Start, string Group, long Count)> WindowCounts(MemorySource<Click> source, out DataStream<Click> lateRows)
    {
        var aggregated = QueryDefinition.From(source)
            .WithWatermark(c => c.TimeMicros, "10 seconds")
            .WindowAggregate(WindowSpec.Tumbling(TimeSpan.FromSeconds(10)), c => c.Group, TestCodecs.String, Aggregates.Count<Click>(), ValueCodecs.Int64,
                (w, g, n) => (w.StartMicros / 1_000_000, g, n), OutputMode.Append);
        lateRows = aggregated.LateRows;
        return aggregated;
    }

    private StreamingQuery Start(QueryDefinition definition, int partitions = 2) =>
        StreamingQuery.Start(definition, new QueryOptions { CheckpointPath = _dir.Path, ShufflePartitions = partitions, Time = _clock });
}
