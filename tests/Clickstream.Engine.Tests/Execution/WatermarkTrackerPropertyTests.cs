using Clickstream.Engine.Execution;
using Clickstream.Engine.Plan;
using Clickstream.Engine.Sources;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Clickstream.Engine.Tests.Execution;

/// <summary>
/// The global watermark never decreases and follows Spark's <c>WatermarkTracker.updateWatermark</c>, recomputed
/// here by a small reference model written the way Spark writes it.
/// </summary>
public sealed class WatermarkTrackerPropertyTests
{
    [Property(MaxTest = 300)]
    public Property UpdateAfterBatch_RandomBatches_NeverDecreasesAndMatchesSparkModel() =>
        Prop.ForAll(Scenarios().ToArbitrary(), scenario =>
        {
            var nodes = new List<(PlanNode Node, long DelayMs)>();
            foreach (var delay in scenario.DelaysMs)
            {
                nodes.Add((QueryDefinition.From(new MemorySource<long>()).WithWatermark(t => t, delay), delay));
            }

            var tracker = new WatermarkTracker(nodes, scenario.Policy);
            var model = new SparkWatermarkModel(scenario.DelaysMs, scenario.Policy);
            var previous = tracker.GlobalWatermarkMs;
            Assert.Equal(0, previous);

            for (var b = 0; b < scenario.Batches.Length; b++)
            {
                var batch = scenario.Batches[b];
                if (batch.RestartBefore)
                {
                    tracker = new WatermarkTracker(nodes, scenario.Policy);
                    tracker.Restore(model.GlobalMs);
                    model.Restart();
                }

                tracker.ResetBatchStats();
                for (var n = 0; n < nodes.Count; n++)
                {
                    foreach (var t in batch.EventMicros[n])
                    {
                        tracker.StatsFor(nodes[n].Node).Add(t);
                    }
                }

                var combined = tracker.CombinedStats();
                var all = batch.EventMicros.SelectMany(e => e).ToList();
                if (all.Count == 0)
                {
                    Assert.Null(combined);
                }
                else
                {
                    Assert.NotNull(combined);
                    Assert.Equal(all.Count, combined.Count);
                    Assert.Equal(FloorMs(all.Max()), combined.MaxMs);
                    Assert.Equal(FloorMs(all.Min()), combined.MinMs);
                }

                tracker.UpdateAfterBatch();
                model.UpdateAfterBatch(batch.EventMicros);

                Assert.True(tracker.GlobalWatermarkMs >= previous, $"batch {b}: watermark went back from {previous} to {tracker.GlobalWatermarkMs}");
                Assert.True(model.GlobalMs == tracker.GlobalWatermarkMs, $"batch {b}: expected {model.GlobalMs} (Spark rule), got {tracker.GlobalWatermarkMs}");
                previous = tracker.GlobalWatermarkMs;
            }
        });

    [Fact]
    public void UpdateAfterBatch_MinPolicyWithSilentInput_HoldsAtZeroUntilEveryInputHasData()
    {
        var fast = QueryDefinition.From(new MemorySource<long>()).WithWatermark(t => t, 10_000);
        var slow = QueryDefinition.From(new MemorySource<long>()).WithWatermark(t => t, 10_000);
        var tracker = new WatermarkTracker([(fast, 10_000), (slow, 10_000)], WatermarkPolicy.Min);

        tracker.StatsFor(fast).Add(100_000_000);
        tracker.UpdateAfterBatch();
        Assert.Equal(0, tracker.GlobalWatermarkMs);

        tracker.ResetBatchStats();
        tracker.StatsFor(slow).Add(50_000_000);
        tracker.UpdateAfterBatch();
        Assert.Equal(40_000, tracker.GlobalWatermarkMs);
    }

    [Fact]
    public void UpdateAfterBatch_MaxPolicyWithSilentInput_FollowsTheFastestInput()
    {
        var fast = QueryDefinition.From(new MemorySource<long>()).WithWatermark(t => t, 10_000);
        var slow = QueryDefinition.From(new MemorySource<long>()).WithWatermark(t => t, 10_000);
        var tracker = new WatermarkTracker([(fast, 10_000), (slow, 10_000)], WatermarkPolicy.Max);

        tracker.StatsFor(fast).Add(100_000_000);
        tracker.UpdateAfterBatch();

        Assert.Equal(90_000, tracker.GlobalWatermarkMs);
    }

    private static long FloorMs(long micros) => (long)Math.Floor(micros / 1000.0);

    private static Gen<Scenario> Scenarios() =>
        from nodeCount in Gen.Choose(1, 3)
        from delays in Gen.ArrayOf(Gen.Elements(0L, 1L, 5_000L, 10_000L, 60_000L), nodeCount)
        from policy in Gen.Elements(WatermarkPolicy.Min, WatermarkPolicy.Max)
        from batchCount in Gen.Choose(1, 12)
        from batches in Gen.ArrayOf(Batches(nodeCount), batchCount)
        select new Scenario(delays, policy, batches);

    private static Gen<Batch> Batches(int nodeCount) =>
        from restart in Gen.Frequency((1, Gen.Constant(true)), (7, Gen.Constant(false)))
        from events in Gen.ArrayOf(EventsOfOneNode(), nodeCount)
        select new Batch(restart, events);

    private static Gen<long[]> EventsOfOneNode() =>
        Gen.Frequency(
            (1, Gen.Constant(Array.Empty<long>())),
            (3, from n in Gen.Choose(1, 6)
                from times in Gen.ArrayOf(EventMicros(), n)
                select times));

    // Mostly the first few minutes after the epoch (so delays matter), some before it, with sub-millisecond parts.
    private static Gen<long> EventMicros() =>
        from seconds in Gen.Choose(-20, 300)
        from micros in Gen.Choose(-999_999, 999_999)
        select (seconds * 1_000_000L) + micros;

    private sealed record Batch(bool RestartBefore, long[][] EventMicros);

    private sealed record Scenario(long[] DelaysMs, WatermarkPolicy Policy, Batch[] Batches)
    {
        public override string ToString() =>
            $"delays [{string.Join(", ", DelaysMs)}] {Policy}: " +
            string.Join(" | ", Batches.Select(b => (b.RestartBefore ? "restart " : string.Empty) + string.Join("; ", b.EventMicros.Select(e => string.Join(",", e)))));
    }

    /// <summary>
    /// Spark's rule as Spark writes it: a node with data proposes <c>max − delay</c> and keeps it only if higher
    /// than what it had; a node without data gets 0 unless it already has a value; the policy picks the min or
    /// max of the node values, and the global value moves only forward. A restart forgets the node values.
    /// </summary>
    private sealed class SparkWatermarkModel(long[] delaysMs, WatermarkPolicy policy)
    {
        private readonly Dictionary<int, long> _operatorToWatermark = [];

        public long GlobalMs { get; private set; }

        public void Restart() => _operatorToWatermark.Clear();

        public void UpdateAfterBatch(long[][] eventMicros)
        {
            for (var i = 0; i < delaysMs.Length; i++)
            {
                if (eventMicros[i].Length > 0)
                {
                    var proposal = FloorMs(eventMicros[i].Max()) - delaysMs[i];
                    if (!_operatorToWatermark.TryGetValue(i, out var previous) || proposal > previous)
                    {
                        _operatorToWatermark[i] = proposal;
                    }
                }
                else
                {
                    _operatorToWatermark.TryAdd(i, 0);
                }
            }

            var chosen = policy == WatermarkPolicy.Min ? _operatorToWatermark.Values.Min() : _operatorToWatermark.Values.Max();
            if (chosen > GlobalMs)
            {
                GlobalMs = chosen;
            }
        }
    }
}
