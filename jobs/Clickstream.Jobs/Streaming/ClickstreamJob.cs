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

    /// <param name="source">The input lines.</param>
    /// <param name="watermarkDelayMs">The event-time watermark delay.</param>
    /// <param name="quarantine">Sink of every invalid line with its reason.</param>
    /// <param name="store">Sink of the aggregates and the ledger.</param>
    /// <param name="rawEvents">Optional sink of every valid, non-duplicate event (late ones included): the raw table.</param>
    public static QueryDefinition Build(IStreamSource<JobInput> source, long watermarkDelayMs, IBatchSink<InvalidRecord> quarantine, IBatchSink<StoreRow> store, IBatchSink<ClickEvent>? rawEvents = null)
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

        // One pass counts every per-event metric: events by type, page views by category, product views.
        var counts = unique.WindowAggregate<MetricKey, long, StoreRow>(
            Window,
            (Action<ClickEvent, List<MetricKey>>)AddMetricKeys,
            MetricKey.Codec,
            Aggregates.Count<ClickEvent>(),
            ValueCodecs.Int64,
            (w, k, n) => new StoreRow(k.Metric, w.StartMicros, w.EndMicros, k.Key, n, null, false),
            OutputMode.Update);

        var funnelSteps = unique.FlatMapGroupsWithState<UInt128, FunnelState, MetricRow>(
            e => e.SessionKey, KeyCodecs.UInt128, FunnelState.Codec, GroupStateTimeout.EventTime, FunnelFunction.Apply, m => m.TimeMicros, LateRowPolicy.Keep);
        var funnel = funnelSteps.WindowAggregate(
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

        // A late event has all its groups in one (closed) window, so it appears once among the late rows.
        var late = counts.LateRows.Select(e => Ledger(Metric.Late, e.TimestampMicros));
        var duplicates = unique.Duplicates.Select(e => Ledger(Metric.Duplicates, e.TimestampMicros));
        var invalidLedger = invalid.FlatMapWithBatch<StoreRow>((r, batch, o) =>
            o.Add(Ledger(Metric.Invalid, r.TimestampMicros ?? (batch.BatchTimestampMs * 1000))));

        var query = new QueryDefinition("clickstream");
        if (rawEvents is not null)
        {
            query.WriteTo(unique, rawEvents);
        }

        return query
            .WriteTo(invalid, quarantine)
            .WriteTo(counts.Union(funnel, activeUsers, late, duplicates, invalidLedger), store);
    }

    private static void AddMetricKeys(ClickEvent e, List<MetricKey> keys)
    {
        keys.Add(new MetricKey(Metric.Events, e.EventType));
        switch (e.TypeCode)
        {
            case EventTypeCode.PageView:
                keys.Add(new MetricKey(Metric.PageViews, e.Category ?? Metric.NoCategory));
                break;
            case EventTypeCode.ProductView when e.ProductId is not null:
                keys.Add(new MetricKey(Metric.TopProducts, e.ProductId));
                break;
        }
    }

    private static StoreRow Ledger(string metric, long timeMicros)
    {
        var w = Window.AssignTumbling(timeMicros);
        return new StoreRow(metric, w.StartMicros, w.EndMicros, null, 1, null, true);
    }
}
