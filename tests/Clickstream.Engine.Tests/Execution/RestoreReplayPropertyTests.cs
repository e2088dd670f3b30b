using System.Globalization;
using Clickstream.Engine.Execution;
using Clickstream.Engine.Plan;
using Clickstream.Engine.Sources;
using Clickstream.Engine.State;
using Clickstream.Engine.Windows;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Clickstream.Engine.Tests.Execution;

/// <summary>
/// Restore-then-replay equals the uninterrupted run: a query (watermark → dropDuplicatesWithinWatermark → window
/// count) fed a random sequence of batches is stopped after a random batch — cleanly, or by a sink failure in the
/// middle of a batch — and continued by a new <see cref="StreamingQuery"/> on the same checkpoint. Every sink sees
/// exactly what it sees in one uninterrupted run: the same batch ids with the same rows.
/// </summary>
public sealed class RestoreReplayPropertyTests
{
    [Property(MaxTest = 25)]
    public Property Restart_AfterRandomBatch_SinkOutputEqualsUninterruptedRun() =>
        Prop.ForAll(Scenarios().ToArbitrary(), scenario =>
        {
            var uninterrupted = Run(scenario, stopAfter: null);
            var restarted = Run(scenario, scenario.StopAfter);

            Assert.Equal(uninterrupted.Windows, restarted.Windows);
            Assert.Equal(uninterrupted.LateRows, restarted.LateRows);
            Assert.Equal(uninterrupted.Duplicates, restarted.Duplicates);
            Assert.Equal(uninterrupted.Watermarks, restarted.Watermarks);
        });

    private static Outcome Run(Scenario scenario, int? stopAfter)
    {
        using var dir = new TempDirectory("clickstream-replay");
        var source = new MemorySource<Click>();
        var deduplicated = QueryDefinition.From(source)
            .WithWatermark(c => c.TimeMicros, scenario.DelayMs)
            .DropDuplicatesWithinWatermark(c => c.Key, KeyCodecs.UInt128, stateFactory: scenario.CompactState ? () => new CompactDedupState() : null);
        var windows = deduplicated.WindowAggregate(
            WindowSpec.Tumbling(TimeSpan.FromSeconds(10)), c => c.Group, TestCodecs.String, Aggregates.Count<Click>(), ValueCodecs.Int64,
            (w, g, n) => $"{w.StartMicros / 1_000_000}s {g}={n}", scenario.Mode);

        var windowRows = new BatchRecorder<string>();
        var lateRows = new BatchRecorder<Click>();
        var duplicates = new BatchRecorder<Click>();
        var definition = new QueryDefinition("replay")
            .ForeachBatch(windows, windowRows.Deliver)
            .ForeachBatch(deduplicated.LateRows, lateRows.Deliver)
            .ForeachBatch(deduplicated.Duplicates, duplicates.Deliver);
        var options = new QueryOptions { CheckpointPath = dir.Path, ShufflePartitions = scenario.Partitions, SnapshotInterval = 3 };
        var watermarks = new List<long>();

        var query = StreamingQuery.Start(definition, options);
        try
        {
            for (var i = 0; i < scenario.Batches.Length; i++)
            {
                source.AddData(scenario.Batches[i]);
                if (i == stopAfter && scenario.Crash)
                {
                    // The last sink fails in the middle of the next batch; its earlier sinks already got the rows.
                    duplicates.FailNext = true;
                }

                while (true)
                {
                    try
                    {
                        query.ProcessAllAvailable();
                        break;
                    }
                    catch (InjectedFailure)
                    {
                        query.Dispose();
                        query = StreamingQuery.Start(definition, options);
                    }
                }

                watermarks.Add(query.WatermarkMs);
                if (i == stopAfter && !scenario.Crash)
                {
                    query.Dispose();
                    query = StreamingQuery.Start(definition, options);
                }
            }
        }
        finally
        {
            query.Dispose();
        }

        // A re-run batch is delivered again to the sinks that got it before the failure; keep the last delivery of
        // each batch id, as an idempotent sink does.
        return new Outcome(Normalise(windowRows, r => r), Normalise(lateRows, c => c.ToString()), Normalise(duplicates, c => c.ToString()), watermarks);
    }

    private static List<string> Normalise<T>(BatchRecorder<T> recorder, Func<T, string> show)
    {
        var last = new SortedDictionary<long, List<string>>();
        foreach (var (id, rows) in recorder.Deliveries)
        {
            last[id] = [.. rows.Select(show).Order(StringComparer.Ordinal)];
        }

        return [.. last.Select(kv => kv.Key.ToString(CultureInfo.InvariantCulture) + ": " + string.Join(", ", kv.Value))];
    }

    private static Gen<Scenario> Scenarios() =>
        from batchCount in Gen.Choose(1, 6)
        from batches in Gen.ArrayOf(BatchAt(), batchCount)
        from stopAfter in Gen.Choose(0, batchCount - 1)
        from crash in Gen.Elements(false, true)
        from delayMs in Gen.Elements(0L, 5_000L, 15_000L)
        from mode in Gen.Elements(OutputMode.Update, OutputMode.Append)
        from compact in Gen.Elements(false, true)
        from partitions in Gen.Choose(1, 3)
        select new Scenario(
            [.. batches.Select((b, i) => b.Select(c => c with { TimeMicros = c.TimeMicros + (i * 12_000_000L) }).ToArray())],
            stopAfter, crash, delayMs, mode, compact, partitions);

    // Event times drift forward by 12 s a batch (added above) with ±25 s of jitter, so the watermark moves, windows
    // close and some rows arrive late; ids repeat so duplicates occur within and across batches.
    private static Gen<Click[]> BatchAt() =>
        from n in Gen.Choose(0, 8)
        from clicks in Gen.ArrayOf(
            from id in Gen.Choose(0, 15)
            from g in Gen.Elements("a", "b")
            from ms in Gen.Choose(-25_000, 25_000)
            select new Click(id, g, 30_000_000L + (ms * 1000L)),
            n)
        select clicks;

    private sealed record Scenario(Click[][] Batches, int StopAfter, bool Crash, long DelayMs, OutputMode Mode, bool CompactState, int Partitions)
    {
        public override string ToString() =>
            $"stop after {StopAfter} ({(Crash ? "sink failure" : "clean")}), delay {DelayMs} ms, {Mode}, {(CompactState ? "compact" : "dictionary")} state, {Partitions} partitions, batches: " +
            string.Join(" | ", Batches.Select(b => string.Join(" ", b.AsEnumerable())));
    }

    private sealed record Outcome(List<string> Windows, List<string> LateRows, List<string> Duplicates, List<long> Watermarks);
}
