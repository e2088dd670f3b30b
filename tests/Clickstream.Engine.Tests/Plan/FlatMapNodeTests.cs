using Clickstream.Engine.Execution;
using Clickstream.Engine.Sources;
using Clickstream.Engine.Tests.Execution;

namespace Clickstream.Engine.Tests.Plan;

public sealed class FlatMapNodeTests : IDisposable
{
    private readonly PlanQuery _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public void FlatMap_BatchLargeEnoughForParallelChunks_KeepsInputOrder()
    {
        var source = new MemorySource<long>();
        var stream = QueryDefinition.From(source)
            .Where(x => x % 3 != 0)
            .FlatMap<long>((x, output) =>
            {
                output.Add(x);
                if (x % 5 == 0)
                {
                    output.Add(-x);
                }
            })
            .Select(x => x * 2);
        var output = new BatchRecorder<long>();
        var query = _run.Start(new QueryDefinition("order").ForeachBatch(stream, output.Deliver));
        var input = Enumerable.Range(0, 200_000).Select(i => (long)i).ToList();

        source.AddData(input);
        query.ProcessAllAvailable();

        var expected = input.Where(x => x % 3 != 0).SelectMany(x => x % 5 == 0 ? new[] { x, -x } : [x]).Select(x => x * 2);
        Assert.Equal(expected, output.RowsOf(0));
    }

    [Fact]
    public void FlatMapWithBatch_ReRunBatch_SeesTheSameBatchIdAndTimestamp()
    {
        var source = new MemorySource<long>();
        var stream = QueryDefinition.From(source).FlatMapWithBatch<(long Batch, long Ts, long X)>((x, b, o) => o.Add((b.BatchId, b.BatchTimestampMs, x)));
        var output = new BatchRecorder<(long Batch, long Ts, long X)>();
        var definition = new QueryDefinition("stamps").ForeachBatch(stream, output.Deliver);
        var query = _run.Start(definition);
        _run.Clock.NowMs = 5_000;
        source.AddData(1, 2);
        output.FailNext = true;
        Assert.Throws<InjectedFailure>(() => query.ProcessAllAvailable());
        query.Dispose();

        _run.Clock.NowMs = 99_000;
        var restarted = _run.Start(definition);
        restarted.ProcessAllAvailable();

        Assert.Equal([(0L, 5_000L, 1L), (0L, 5_000L, 2L)], output.RowsOf(0));
    }
}
