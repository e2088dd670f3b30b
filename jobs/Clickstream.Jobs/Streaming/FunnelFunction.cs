using Clickstream.Engine.Plan;
using Clickstream.Engine.Time;
using Clickstream.Udfs;

namespace Clickstream.Jobs.Streaming;

/// <summary>
/// The conversion funnel per session: page_view → product_view → add_to_cart → checkout_start → purchase.
/// A session reaches step k at the first event of that step's type after it reached step k−1, taking events in
/// arrival order and, within one micro-batch, in event-time order. Each step reached emits one
/// <see cref="MetricRow"/> at that event's time; the session's state expires after 30 minutes of event-time
/// inactivity (an event-time timeout).
/// </summary>
internal static class FunnelFunction
{
    public const long InactivityMs = 30 * 60 * 1000;

    private static readonly EventTypeCode[] Steps =
    [
        EventTypeCode.PageView, EventTypeCode.ProductView, EventTypeCode.AddToCart, EventTypeCode.CheckoutStart, EventTypeCode.Purchase,
    ];

    private static readonly string[] StepNames =
    [
        "page_view", "product_view", "add_to_cart", "checkout_start", "purchase",
    ];

    /// <summary>The step names in funnel order.</summary>
    public static IReadOnlyList<string> StepTypes => StepNames;

    public static void Apply(UInt128 session, IReadOnlyList<ClickEvent> events, GroupState<FunnelState> state, List<MetricRow> output)
    {
        if (state.HasTimedOut)
        {
            state.Remove();
            return;
        }

        var steps = state.Exists ? state.Value.Steps : (byte)0;
        var last = state.Exists ? state.Value.LastEventMs : long.MinValue;
        foreach (var ev in InEventTimeOrder(events))
        {
            if (steps < Steps.Length && ev.TypeCode == Steps[steps])
            {
                output.Add(new MetricRow(Metric.Funnel, StepNames[steps], ev.TimestampMicros));
                steps++;
            }

            last = Math.Max(last, Micros.FloorToMillis(ev.TimestampMicros));
        }

        state.Update(new FunnelState(steps, last));

        // A late event can leave `last` behind the watermark; the timeout may not be set in the past.
        state.SetTimeoutTimestamp(Math.Max(last + InactivityMs, state.CurrentWatermarkMs));
    }

    private static IReadOnlyList<ClickEvent> InEventTimeOrder(IReadOnlyList<ClickEvent> events)
    {
        var sorted = true;
        for (var i = 1; i < events.Count && sorted; i++)
        {
            sorted = events[i - 1].TimestampMicros <= events[i].TimestampMicros;
        }

        if (sorted)
        {
            return events;
        }

        // Stable: equal times keep arrival order.
        var indexed = new (long Time, int Index)[events.Count];
        for (var i = 0; i < indexed.Length; i++)
        {
            indexed[i] = (events[i].TimestampMicros, i);
        }

        Array.Sort(indexed);
        var result = new ClickEvent[indexed.Length];
        for (var i = 0; i < indexed.Length; i++)
        {
            result[i] = events[indexed[i].Index];
        }

        return result;
    }
}
