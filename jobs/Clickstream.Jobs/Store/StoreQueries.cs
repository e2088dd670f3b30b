using Clickstream.Jobs.Streaming;

namespace Clickstream.Jobs.Store;

/// <summary>Read-side queries over an aggregate store: the dashboard view of a range and the full export.</summary>
internal static class StoreQueries
{
    private const long MinuteMicros = 60_000_000;

    /// <summary>The end of the newest event window, or null for an empty store.</summary>
    public static long? NewestWindowEnd(IAggregateStore store) => store.NewestWindowEnd();

    /// <summary>The dashboard view of windows inside [from, to).</summary>
    public static DashboardView View(IAggregateStore store, long fromMicros, long toMicros)
    {
        var byMetric = store.SumsByKey(fromMicros, toMicros);
        List<(string Key, long Value)> Of(string metric) => byMetric.TryGetValue(metric, out var l) ? l : [];
        long Total(string metric) => Of(metric).Sum(x => x.Value);
        static List<(string Key, long Value)> Ranked(List<(string Key, long Value)> rows) =>
            [.. rows.OrderByDescending(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal)];

        var funnelCounts = Of(Metric.Funnel).ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal);
        var funnel = new List<(string, long, double?)>();
        long? previous = null;
        foreach (var step in FunnelFunction.StepTypes)
        {
            var n = funnelCounts.GetValueOrDefault(step);
            funnel.Add((step, n, previous is null ? null : previous == 0 ? 0 : (double)n / previous.Value));
            previous = n;
        }

        return new DashboardView(
            fromMicros,
            toMicros,
            store.ActiveUsers(fromMicros, toMicros),
            Ranked(Of(Metric.PageViews)),
            funnel,
            [.. Ranked(Of(Metric.TopProducts)).Take(10)],
            Ranked(Of(Metric.Events)),
            Total(Metric.Events),
            Total(Metric.Duplicates),
            Total(Metric.Invalid),
            Total(Metric.Late));
    }

    /// <summary>Distinct users over the range: the union of the windows' sketches.</summary>
    public static long ActiveUsers(IAggregateStore store, long fromMicros, long toMicros) => store.ActiveUsers(fromMicros, toMicros);

    /// <summary>Every aggregate row in (metric, window_start, key) order.</summary>
    public static IEnumerable<AggregateRecord> All(IAggregateStore store) => store.All();

    /// <summary>Floors a time to its minute window start.</summary>
    public static long FloorToWindow(long micros) => micros - (((micros % MinuteMicros) + MinuteMicros) % MinuteMicros);
}
