using Clickstream.Engine.Execution;
using Clickstream.Engine.Plan;
using Clickstream.Engine.Sources;
using Clickstream.Engine.State;
using Clickstream.Engine.Tests.Execution;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Clickstream.Engine.Tests.Plan;

public sealed class DeduplicateNodeTests : IDisposable
{
    private readonly PlanQuery _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public void DropDuplicates_WithoutWatermark_KeepsEveryKeyForever()
    {
        var source = new MemorySource<Click>();
        var dedup = QueryDefinition.From(source).DropDuplicates(c => c.Id, KeyCodecs.Int64);
        var output = new BatchRecorder<Click>();
        var duplicates = new BatchRecorder<Click>();
        var query = _run.Start(new QueryDefinition("dedup").ForeachBatch(dedup, output.Deliver).ForeachBatch(dedup.Duplicates, duplicates.Deliver));

        source.AddData(Click.AtSeconds(1, "a", 1), Click.AtSeconds(2, "a", 2), Click.AtSeconds(1, "b", 3));
        query.ProcessAllAvailable();
        for (var i = 0; i < 5; i++)
        {
            source.AddData(Click.AtSeconds(10 + i, "a", 1_000_000 * (i + 1)));
            query.ProcessAllAvailable();
        }

        source.AddData(Click.AtSeconds(1, "c", 9_000_000), Click.AtSeconds(2, "c", 9_000_000), Click.AtSeconds(99, "c", 9_000_000));
        query.ProcessAllAvailable();

        Assert.Equal([1L, 2], output.RowsOf(0).Select(c => c.Id));
        Assert.Equal([1L], duplicates.RowsOf(0).Select(c => c.Id));
        Assert.Equal([99L], output.RowsOf(6).Select(c => c.Id));
        Assert.Equal([1L, 2], duplicates.RowsOf(6).Select(c => c.Id));
        Assert.Equal(7, query.NextBatchId);
        var progress = query.LastProgress!.StateOperators.Single();
        Assert.Equal(8, progress.NumRowsTotal);
        Assert.Equal(0, progress.NumRowsRemoved);
    }

    [Fact]
    public void DropDuplicates_WatermarkButKeyWithoutEventTime_DropsLateRowsAndNeverEvicts()
    {
        var source = new MemorySource<Click>();
        var dedup = QueryDefinition.From(source).WithWatermark(c => c.TimeMicros, "10 seconds").DropDuplicates(c => c.Id, KeyCodecs.Int64);
        var output = new BatchRecorder<Click>();
        var late = new BatchRecorder<Click>();
        var query = _run.Start(new QueryDefinition("dedup").ForeachBatch(dedup, output.Deliver).ForeachBatch(dedup.LateRows, late.Deliver));

        source.AddData(Click.AtSeconds(1, "a", 5), Click.AtSeconds(2, "a", 100));
        query.ProcessAllAvailable();
        source.AddData(Click.AtSeconds(3, "a", 50), Click.AtSeconds(1, "a", 200));
        query.RunNextBatch();

        Assert.Equal([3L], late.LastRows.Select(c => c.Id));
        Assert.Empty(output.LastRows);
        Assert.Equal(2, query.LastProgress!.StateOperators.Single().NumRowsTotal);
    }

    [Fact]
    public void DropDuplicatesWithinWatermark_LateRowPolicyKeep_KeepsLateRowsAndStillDeduplicatesThem()
    {
        var (query, output, duplicates, late) = WithinWatermark(LateRowPolicy.Keep, out var source);
        source.AddData(Click.AtSeconds(1, "a", 100));
        query.ProcessAllAvailable();
        Assert.Equal(90_000, query.WatermarkMs);

        // 7 is late twice (the second time a duplicate); 1 is late and a duplicate of batch 0's row; 8 is on time.
        source.AddData(Click.AtSeconds(7, "a", 10), Click.AtSeconds(7, "b", 12), Click.AtSeconds(8, "a", 95), Click.AtSeconds(1, "c", 20));
        query.RunNextBatch();

        Assert.Equal(["7/a", "8/a"], output.LastRows.Select(Show));
        Assert.Equal(["7/b", "1/c"], duplicates.LastRows.Select(Show));
        Assert.Empty(late.LastRows);
        Assert.Equal(0, query.LastProgress!.StateOperators.Single().NumRowsDroppedByWatermark);
    }

    [Fact]
    public void DropDuplicatesWithinWatermark_LateRowPolicyDrop_SendsLateRowsOnlyToLateRows()
    {
        var (query, output, duplicates, late) = WithinWatermark(LateRowPolicy.Drop, out var source);
        source.AddData(Click.AtSeconds(1, "a", 100));
        query.ProcessAllAvailable();

        source.AddData(Click.AtSeconds(7, "a", 10), Click.AtSeconds(7, "b", 12), Click.AtSeconds(8, "a", 95), Click.AtSeconds(8, "b", 96), Click.AtSeconds(1, "c", 20));
        query.RunNextBatch();

        Assert.Equal(["8/a"], output.LastRows.Select(Show));
        Assert.Equal(["8/b"], duplicates.LastRows.Select(Show));
        Assert.Equal(["7/a", "7/b", "1/c"], late.LastRows.Select(Show));
        Assert.Equal(3, query.LastProgress!.StateOperators.Single().NumRowsDroppedByWatermark);
    }

    [Fact]
    public void DropDuplicates_LargeBatchAcrossPartitions_KeepsTheFirstRowOfEachKeyInArrivalOrder()
    {
        var source = new MemorySource<Click>();
        var dedup = QueryDefinition.From(source).DropDuplicates(c => c.Id, KeyCodecs.Int64);
        var output = new BatchRecorder<Click>();
        var duplicates = new BatchRecorder<Click>();
        var query = _run.Start(new QueryDefinition("dedup-order").ForeachBatch(dedup, output.Deliver).ForeachBatch(dedup.Duplicates, duplicates.Deliver), partitions: 4);
        var rng = new Random(7);
        var rows = Enumerable.Range(0, 50_000).Select(i => new Click(rng.Next(5_000), "row" + i, i)).ToList();

        source.AddData(rows);
        query.ProcessAllAvailable();

        var seen = new HashSet<long>();
        var expectedKept = rows.Where(r => seen.Add(r.Id)).ToList();
        Assert.Equal(expectedKept, output.RowsOf(0));
        Assert.Equal(rows.Except(expectedKept), duplicates.RowsOf(0));
    }

    [Property(MaxTest = 20)]
    public Property SideOutputs_RandomBatches_EveryInputRowLandsInExactlyOneOutput() =>
        Prop.ForAll(RandomBatches().ToArbitrary(), input =>
        {
            using var run = new PlanQuery();
            var (batches, keep) = input;
            var source = new MemorySource<Click>();
            var dedup = QueryDefinition.From(source).WithWatermark(c => c.TimeMicros, "5 seconds")
                .DropDuplicatesWithinWatermark(c => c.Key, KeyCodecs.UInt128, keep ? LateRowPolicy.Keep : LateRowPolicy.Drop);
            var output = new BatchRecorder<Click>();
            var duplicates = new BatchRecorder<Click>();
            var late = new BatchRecorder<Click>();
            var query = run.Start(new QueryDefinition("sides")
                .ForeachBatch(dedup, output.Deliver)
                .ForeachBatch(dedup.Duplicates, duplicates.Deliver)
                .ForeachBatch(dedup.LateRows, late.Deliver));
            var keptBefore = new HashSet<long>();
            foreach (var batch in batches)
            {
                source.AddData(batch);
                var lateLimitMicros = (query.LastProgress?.BatchWatermarkMs ?? 0) * 1000;
                if (!query.RunNextBatch(allowNoDataBatch: false))
                {
                    continue;
                }

                var id = query.NextBatchId - 1;
                var kept = output.RowsOf(id);

                // Nothing is lost or duplicated across the three outputs.
                Assert.Equal(Sorted(batch), Sorted([.. kept, .. duplicates.RowsOf(id), .. late.RowsOf(id)]));

                // Late means at or behind the previous batch's watermark, and only the drop policy sets rows aside.
                var expectedLate = keep ? [] : batch.Where(c => c.TimeMicros <= lateLimitMicros).ToList();
                Assert.Equal(Sorted(expectedLate), Sorted(late.RowsOf(id)));
                Assert.Equal(expectedLate.Count, query.LastProgress!.StateOperators.Single().NumRowsDroppedByWatermark);

                // The first row of a key wins; a duplicate's key was kept in this batch or an earlier one.
                Assert.Equal(kept.Count, kept.Select(c => c.Id).Distinct().Count());
                keptBefore.UnionWith(kept.Select(c => c.Id));
                Assert.All(duplicates.RowsOf(id), c => Assert.Contains(c.Id, keptBefore));
            }
        });

    private static string Show(Click c) => $"{c.Id}/{c.Group}";

    private static List<string> Sorted(IEnumerable<Click> clicks) => [.. clicks.Select(c => c.ToString()).Order(StringComparer.Ordinal)];

    private static Gen<(Click[][] Batches, bool Keep)> RandomBatches() =>
        from keep in Gen.Elements(false, true)
        from count in Gen.Choose(1, 6)
        from batches in Gen.ArrayOf(
            from n in Gen.Choose(0, 10)
            from clicks in Gen.ArrayOf(
                from id in Gen.Choose(0, 8)
                from seconds in Gen.Choose(0, 60)
                from g in Gen.Elements("a", "b", "c")
                select Click.AtSeconds(id, g, seconds),
                n)
            select clicks,
            count)
        select (batches, keep);

    private (StreamingQuery Query, BatchRecorder<Click> Output, BatchRecorder<Click> Duplicates, BatchRecorder<Click> Late) WithinWatermark(LateRowPolicy policy, out MemorySource<Click> source)
    {
        source = new MemorySource<Click>();
        var dedup = QueryDefinition.From(source).WithWatermark(c => c.TimeMicros, "10 seconds")
            .DropDuplicatesWithinWatermark(c => c.Key, KeyCodecs.UInt128, policy);
        var output = new BatchRecorder<Click>();
        var duplicates = new BatchRecorder<Click>();
        var late = new BatchRecorder<Click>();
        var query = _run.Start(new QueryDefinition("dedup-within")
            .ForeachBatch(dedup, output.Deliver)
            .ForeachBatch(dedup.Duplicates, duplicates.Deliver)
            .ForeachBatch(dedup.LateRows, late.Deliver));
        return (query, output, duplicates, late);
    }
}
