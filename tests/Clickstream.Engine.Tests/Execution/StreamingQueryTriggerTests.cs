using Clickstream.Engine.Execution;
using Clickstream.Engine.Plan;
using Clickstream.Engine.Sources;
using Clickstream.Engine.State;

namespace Clickstream.Engine.Tests.Execution;

public sealed class StreamingQueryTriggerTests : IDisposable
{
    private readonly TempDirectory _dir = new("clickstream-trigger");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RunAsync_Once_RunsExactlyOneBatchEvenWhenANoDataBatchIsDue()
    {
        var source = new MemorySource<Click>();
        var output = new BatchRecorder<(long Start, string Group, long Count)>();
        var definition = new QueryDefinition("once").ForeachBatch(StreamingQueryRecoveryTests.WindowCounts(source, out _), output.Deliver);
        using var query = Start(definition);
        source.AddData(Click.AtSeconds(1, "a", 5), Click.AtSeconds(2, "a", 35));

        await query.RunAsync(Trigger.Once);

        // The watermark moved to 25 s, which would close window [0, 10) in a no-data batch; once never runs one.
        Assert.Equal([0L], output.BatchIds);
        Assert.Empty(output.RowsOf(0));
        Assert.Equal(25_000, query.WatermarkMs);

        await query.RunAsync(Trigger.Once);
        Assert.Equal([0L], output.BatchIds);

        source.AddData(Click.AtSeconds(3, "a", 36));
        await query.RunAsync(Trigger.Once);
        Assert.Equal([0L, 1], output.BatchIds);
        Assert.Equal([(0L, "a", 1L)], output.RowsOf(1));
    }

    [Fact]
    public async Task RunAsync_AvailableNow_ProcessesDataPresentAtStartThenNoDataBatchThenStops()
    {
        var source = new MemorySource<Click>();
        var output = new BatchRecorder<(long Start, string Group, long Count)>();
        var definition = new QueryDefinition("available-now").ForeachBatch(StreamingQueryRecoveryTests.WindowCounts(source, out _), (id, rows) =>
        {
            output.Deliver(id, rows);

            // Arrives after the trigger started: not part of this run.
            source.AddData(Click.AtSeconds(100 + id, "late-arrival", 500));
        });
        using var query = Start(definition);
        source.AddData(Click.AtSeconds(1, "a", 5), Click.AtSeconds(2, "b", 7), Click.AtSeconds(3, "a", 35));

        await query.RunAsync(Trigger.AvailableNow);

        Assert.Equal([0L, 1], output.BatchIds);
        Assert.Empty(output.RowsOf(0));
        Assert.Equal([(0L, "a", 1L), (0L, "b", 1L)], output.RowsOf(1).Order());
        Assert.True(query.LastProgress!.IsNoDataBatch);
        Assert.Equal(2, query.NextBatchId);
    }

    [Fact]
    public async Task RunAsync_AvailableNowWithoutStatefulOperator_RunsOneBatch()
    {
        var source = new MemorySource<Click>();
        var output = new BatchRecorder<Click>();
        var definition = new QueryDefinition("stateless").ForeachBatch(QueryDefinition.From(source).WithWatermark(c => c.TimeMicros, 0), output.Deliver);
        using var query = Start(definition);
        source.AddData(Click.AtSeconds(1, "a", 5), Click.AtSeconds(2, "a", 50));

        await query.RunAsync(Trigger.AvailableNow);

        Assert.Equal([0L], output.BatchIds);
        Assert.Equal([1L, 2], output.RowsOf(0).Select(c => c.Id));
    }

    [Fact]
    public async Task RunAsync_ProcessingTimeCancelledDuringABatch_FinishesThatBatchAndStopsCleanly()
    {
        var source = new MemorySource<Click>();
        using var stop = new CancellationTokenSource();
        var output = new BatchRecorder<Click>();
        var definition = new QueryDefinition("processing-time").ForeachBatch(QueryDefinition.From(source), (id, rows) =>
        {
            output.Deliver(id, rows);

            // Keep the source busy so every trigger has a batch, and ask to stop from inside the third one.
            source.AddData(new Click(id + 10, "a", 0));
            if (id == 2)
            {
                stop.Cancel();
            }
        });
        using var query = StreamingQuery.Start(definition, new QueryOptions { CheckpointPath = _dir.Path, ShufflePartitions = 1 });
        source.AddData(new Click(1, "a", 0));

        await query.RunAsync(Trigger.ProcessingTime(TimeSpan.FromMilliseconds(10)), stop.Token);

        Assert.Equal([0L, 1, 2], output.BatchIds);
        Assert.Equal(3, query.NextBatchId);

        // The stop is clean: the last planned batch is committed, so a restart has nothing to re-run.
        Assert.Equal(["0", "1", "2"], Directory.EnumerateFiles(_dir.Combine("commits")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["0", "1", "2"], Directory.EnumerateFiles(_dir.Combine("offsets")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var restarted = StreamingQuery.Start(definition, new QueryOptions { CheckpointPath = _dir.Path, ShufflePartitions = 1 });
        Assert.Equal(3, restarted.NextBatchId);
    }

    [Fact]
    public async Task RunAsync_ProcessingTimeCancelledBetweenBatches_ReturnsWithoutThrowing()
    {
        var source = new MemorySource<Click>();
        using var stop = new CancellationTokenSource();
        var batches = 0;
        var definition = new QueryDefinition("idle").ForeachBatch(QueryDefinition.From(source), (_, _) =>
        {
            if (++batches == 1)
            {
                // Cancel while the trigger is waiting for its next interval with nothing to read.
                stop.CancelAfter(TimeSpan.FromMilliseconds(30));
            }
        });
        using var query = Start(definition);
        source.AddData(new Click(1, "a", 0));

        await query.RunAsync(Trigger.ProcessingTime(TimeSpan.FromMilliseconds(10)), stop.Token);

        Assert.Equal(1, batches);
        Assert.True(stop.IsCancellationRequested);
    }

    [Fact]
    public void ProcessAllAvailable_ProcessingTimeTimeoutOperator_ReturnsOnceTheDataIsProcessed()
    {
        // A processing-time timeout makes the operator ask for a no-data batch after every batch (as in Spark);
        // ProcessAllAvailable must still return once the available data is processed instead of looping forever.
        const int guard = 20;
        var source = new MemorySource<Click>();
        var batches = 0;
        var sessions = QueryDefinition.From(source).FlatMapGroupsWithState<string, long, string>(
            c => c.Group, TestCodecs.String, ValueCodecs.Int64, GroupStateTimeout.ProcessingTime,
            (key, rows, state, output) =>
            {
                state.Update(rows.Count);
                state.SetTimeoutDuration(60_000);
                output.Add(key);
            });
        var definition = new QueryDefinition("timeouts").ForeachBatch(sessions, (_, _) =>
        {
            if (++batches > guard)
            {
                throw new InjectedFailure($"still running after {guard} batches");
            }
        });
        using var query = Start(definition);
        source.AddData(new Click(1, "a", 0));

        var failure = Record.Exception(() => query.ProcessAllAvailable());

        Assert.True(failure is null, $"ProcessAllAvailable ran {batches} batches without returning ({failure?.Message})");
        Assert.InRange(batches, 1, 2);
    }

    private StreamingQuery Start(QueryDefinition definition) =>
        StreamingQuery.Start(definition, new QueryOptions { CheckpointPath = _dir.Path, ShufflePartitions = 2 });
}
