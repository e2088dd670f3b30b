using Clickstream.Engine.Execution;
using Clickstream.Engine.Plan;
using Clickstream.Engine.Sources;
using Clickstream.Engine.State;
using Clickstream.Engine.Tests.Execution;

namespace Clickstream.Engine.Tests.Plan;

public sealed class FlatMapGroupsWithStateNodeTests : IDisposable
{
    private readonly PlanQuery _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public void ProcessingTimeTimeout_BatchTimestampPassesIt_CallsTheKeyWithHasTimedOut()
    {
        var source = new MemorySource<Click>();
        var output = new BatchRecorder<string>();
        var sessions = QueryDefinition.From(source).FlatMapGroupsWithState<string, long, string>(
            c => c.Group, TestCodecs.String, ValueCodecs.Int64, GroupStateTimeout.ProcessingTime,
            (key, rows, state, outRows) =>
            {
                if (state.HasTimedOut)
                {
                    outRows.Add($"{key} timed out at {state.CurrentProcessingTimeMs} after {state.Value}");
                    state.Remove();
                    return;
                }

                state.Update((state.Exists ? state.Value : 0) + rows.Count);
                state.SetTimeoutDuration(500);
                outRows.Add($"{key}={state.Value}");
            });
        var query = _run.Start(new QueryDefinition("timeouts").ForeachBatch(sessions, output.Deliver));

        _run.Clock.NowMs = 1_000;
        source.AddData(new Click(1, "a", 0), new Click(2, "a", 0), new Click(3, "b", 0));
        query.RunNextBatch();
        Assert.Equal(["a=2", "b=1"], output.LastRows.Order(StringComparer.Ordinal));

        // b gets data at 1400 and moves its timeout to 1900; a's 1500 has not passed yet.
        _run.Clock.NowMs = 1_400;
        source.AddData(new Click(4, "b", 0));
        query.RunNextBatch();
        Assert.Equal(["b=2"], output.LastRows);

        // A no-data batch at 1600 times a out (1500 < 1600); b (1900) stays.
        _run.Clock.NowMs = 1_600;
        Assert.True(query.RunNextBatch());
        Assert.True(query.LastProgress!.IsNoDataBatch);
        Assert.Equal(["a timed out at 1600 after 2"], output.LastRows);
        Assert.Equal(1, query.LastProgress.StateOperators.Single().NumRowsTotal);

        // The timeout is strict: at exactly 1900 nothing happens, one millisecond later b times out.
        _run.Clock.NowMs = 1_900;
        query.RunNextBatch();
        Assert.Empty(output.LastRows);
        _run.Clock.NowMs = 1_901;
        query.RunNextBatch();
        Assert.Equal(["b timed out at 1901 after 2"], output.LastRows);
        Assert.Equal(0, query.LastProgress.StateOperators.Single().NumRowsTotal);
    }

    [Fact]
    public void ProcessingTimeTimeout_KeyGetsDataInTheBatchItWouldTimeOut_IsNotTimedOut()
    {
        var source = new MemorySource<Click>();
        var output = new BatchRecorder<string>();
        var sessions = QueryDefinition.From(source).FlatMapGroupsWithState<string, long, string>(
            c => c.Group, TestCodecs.String, ValueCodecs.Int64, GroupStateTimeout.ProcessingTime,
            (key, rows, state, outRows) =>
            {
                outRows.Add(state.HasTimedOut ? $"{key} timed out" : $"{key} +{rows.Count}");
                state.Update(rows.Count);
                state.SetTimeoutDuration(100);
            });
        var query = _run.Start(new QueryDefinition("refresh").ForeachBatch(sessions, output.Deliver));

        _run.Clock.NowMs = 1_000;
        source.AddData(new Click(1, "a", 0));
        query.RunNextBatch();
        _run.Clock.NowMs = 5_000;
        source.AddData(new Click(2, "a", 0));
        query.RunNextBatch();

        // SPARK-38320: the new data sets a fresh timeout (5100) before timeouts are checked.
        Assert.Equal(["a +1"], output.LastRows);
    }

    [Fact]
    public void SetTimeoutTimestamp_EarlierThanWatermarkInsideTheFunction_FailsTheBatch()
    {
        var source = new MemorySource<Click>();
        var output = new BatchRecorder<string>();
        var sessions = QueryDefinition.From(source).WithWatermark(c => c.TimeMicros, "10 seconds").FlatMapGroupsWithState<string, long, string>(
            c => c.Group, TestCodecs.String, ValueCodecs.Int64, GroupStateTimeout.EventTime,
            (key, rows, state, outRows) =>
            {
                state.Update(rows.Count);
                state.SetTimeoutTimestamp(rows.Max(r => r.TimeMicros) / 1000);
                outRows.Add(key);
            });
        var query = _run.Start(new QueryDefinition("bad-timeout").ForeachBatch(sessions, output.Deliver));
        source.AddData(Click.AtSeconds(1, "a", 100));
        query.RunNextBatch();
        Assert.Equal(90_000, query.WatermarkMs);

        // The next batch filters late rows with the previous batch's watermark (0) and runs with 90 s: c at 50 s is
        // not late, but the timeout it asks for is behind the current watermark.
        source.AddData(Click.AtSeconds(2, "b", 95), Click.AtSeconds(3, "c", 50));
        var e = Assert.ThrowsAny<Exception>(() => query.RunNextBatch());

        var inner = Flatten(e).OfType<ArgumentOutOfRangeException>().FirstOrDefault();
        Assert.NotNull(inner);
        Assert.Contains("earlier than the current watermark 90000", inner.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_run.CheckpointPath, "commits", (query.NextBatchId).ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        yield return e;
        if (e is AggregateException a)
        {
            foreach (var i in a.Flatten().InnerExceptions)
            {
                foreach (var x in Flatten(i))
                {
                    yield return x;
                }
            }
        }
        else if (e.InnerException is { } inner)
        {
            foreach (var x in Flatten(inner))
            {
                yield return x;
            }
        }
    }
}
