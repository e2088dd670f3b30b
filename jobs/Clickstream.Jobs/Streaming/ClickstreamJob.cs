using Clickstream.Engine.Execution;
using Clickstream.Engine.Plan;
using Clickstream.Engine.Sinks;
using Clickstream.Engine.Sources;
using Clickstream.Engine.State;
using Clickstream.Engine.Windows;
using Clickstream.Udfs;

namespace Clickstream.Jobs.Streaming;

/// <summary>
/// The clickstream query (see docs/clickstream-job.md): parse and validate → watermark → deduplicate within the
/// watermark → one-minute windowed counts (events by type, page views by category, product views, funnel steps)
/// and distinct users, in update mode, plus a per-batch ledger of late, duplicate and invalid events. Invalid
/// lines also go to the quarantine. Every output of a batch reaches the store in one transaction.
/// </summary>
internal static class ClickstreamJob
{
    public static readonly WindowSpec Window = WindowSpec.Tumbling(TimeSpan.FromMinutes(1));

    public static QueryDefinition Build(IStreamSource<JobInput> source, long watermarkDelayMs, IBatchSink<InvalidRecord> quarantine, IBatchSink<StoreRow> store)
    {
        var input = QueryDefinition.From(source);
        var invalid = input.FlatMap<InvalidRecord>((r, o) =>
        {
            if (r.Invalid is { } bad)
            {
                o.Add(bad);
            }
        }, name: "Invalid");

        var events = input
            .FlatMap<ClickEvent>((r, o) =>
            {
                if (r.Invalid is null)
                {
                    o.Add(r.Event);
                }
            }, name: "Valid")
            .WithWatermark(e => e.TimestampMicros, watermarkDelayMs);

        // Late events are kept (and still deduplicated): the raw table stores them; the aggregations below
        // decide lateness by window end and count them in the `late` ledger.
        var unique = events.DropDuplicatesWithinWatermark(e => e.EventKey, KeyCodecs.UInt128, LateRowPolicy.Keep, () => new CompactDedupState());

        var counted = unique.FlatMap<MetricRow>(ToMetricRows, m => m.TimeMicros, "MetricRows");
        var funnel = unique.FlatMapGroupsWithState<UInt128, FunnelState, MetricRow>(
            e => e.SessionKey, KeyCodecs.UInt128, FunnelState.Codec, GroupStateTimeout.EventTime, FunnelFunction.Apply, m => m.TimeMicros, LateRowPolicy.Keep);

        var counts = counted.Union(funnel).WindowAggregate(
            Window,
            m => new MetricKey(m.Metric, m.Key),
            MetricKey.Codec,
            Aggregates.Count<MetricRow>(),
            ValueCodecs.Int64,
            (w, k, n) => new StoreRow(k.Metric, w.StartMicros, w.EndMicros, k.Key, n, null, false),
            OutputMode.Update);

        var activeUsers = unique.WindowAggregate(
            Window,
            _ => true,
            KeyCodecs.Unit,
            ActiveUsersFunction.Instance,
            ActiveUsersFunction.Instance,
            (w, _, sketch) => new StoreRow(Metric.ActiveUsers, w.StartMicros, w.EndMicros, null, sketch.Estimate(), sketch.ToBytes(), false),
            OutputMode.Update);

        var late = counts.LateRows.FlatMap<StoreRow>((m, o) =>
        {
            if (string.Equals(m.Metric, Metric.Events, StringComparison.Ordinal))
            {
                o.Add(Ledger(Metric.Late, m.TimeMicros));
            }
        });
        var duplicates = unique.Duplicates.Select(e => Ledger(Metric.Duplicates, e.TimestampMicros));
        var invalidLedger = invalid.FlatMapWithBatch<StoreRow>((r, batch, o) =>
            o.Add(Ledger(Metric.Invalid, r.TimestampMicros ?? (batch.BatchTimestampMs * 1000))));

        return new QueryDefinition("clickstream")
            .WriteTo(invalid, quarantine)
            .WriteTo(counts.Union(activeUsers, late, duplicates, invalidLedger), store);
    }

    private static void ToMetricRows(ClickEvent e, List<MetricRow> output)
    {
        output.Add(new MetricRow(Metric.Events, e.EventType, e.TimestampMicros));
        switch (e.TypeCode)
        {
            case EventTypeCode.PageView:
                output.Add(new MetricRow(Metric.PageViews, e.Category ?? Metric.NoCategory, e.TimestampMicros));
                break;
            case EventTypeCode.ProductView when e.ProductId is not null:
                output.Add(new MetricRow(Metric.TopProducts, e.ProductId, e.TimestampMicros));
                break;
        }
    }

    private static StoreRow Ledger(string metric, long timeMicros)
    {
        var w = Window.AssignTumbling(timeMicros);
        return new StoreRow(metric, w.StartMicros, w.EndMicros, null, 1, null, true);
    }
}
