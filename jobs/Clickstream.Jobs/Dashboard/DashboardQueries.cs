using Clickstream.Jobs.Store;

namespace Clickstream.Jobs.Dashboard;

/// <summary>The store queries the dashboard needs beyond <see cref="StoreQueries"/>: the newest batch, events per minute, ledger totals.</summary>
internal static class DashboardQueries
{
    private const long MinuteMicros = 60_000_000;

    /// <summary>The most recently committed batch over all queries, or null when none was committed.</summary>
    public static StoreBatchInfo? NewestBatch(IAggregateStore store) => store.NewestBatch();

    /// <summary>Events per one-minute window of [from, to), every minute present (zero when the store has none).</summary>
    public static List<(long Start, long Events)> EventsPerMinute(IAggregateStore store, long fromMicros, long toMicros)
    {
        var counts = store.EventsPerWindow(fromMicros, toMicros);
        var result = new List<(long, long)>();
        for (var start = StoreQueries.FloorToWindow(fromMicros); start + MinuteMicros <= toMicros; start += MinuteMicros)
        {
            if (start >= fromMicros)
            {
                result.Add((start, counts.GetValueOrDefault(start)));
            }
        }

        return result;
    }

    /// <summary>Totals of the metrics without a dimension plus events, over the windows inside [from, to).</summary>
    public static (long Events, long Duplicates, long Invalid, long Late) Totals(IAggregateStore store, long fromMicros, long toMicros)
    {
        var t = store.Totals(fromMicros, toMicros);
        return (t.Events, t.Duplicates, t.Invalid, t.Late);
    }
}
