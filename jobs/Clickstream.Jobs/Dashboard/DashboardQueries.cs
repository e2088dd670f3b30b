using Clickstream.Jobs.Store;
using Clickstream.Jobs.Streaming;

namespace Clickstream.Jobs.Dashboard;

/// <summary>The store queries the dashboard needs beyond <see cref="StoreQueries"/>: the newest batch, events per minute, ledger totals.</summary>
internal static class DashboardQueries
{
    private const long MinuteMicros = 60_000_000;

    /// <summary>The most recently committed batch over all queries, or (-1, null) when none was committed.</summary>
    public static (long BatchId, string? CommittedAt) NewestBatch(AggregateStore store)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "SELECT last_batch_id, committed_at FROM batches ORDER BY committed_at DESC LIMIT 1";
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetInt64(0), r.GetString(1)) : (-1, null);
    }

    /// <summary>Events per one-minute window of [from, to), every minute present (zero when the store has none).</summary>
    public static List<(long Start, long Events)> EventsPerMinute(AggregateStore store, long fromMicros, long toMicros)
    {
        var counts = new Dictionary<long, long>();
        using (var cmd = store.Connection.CreateCommand())
        {
            cmd.CommandText = """
                SELECT window_start, sum(value) FROM aggregates
                WHERE metric = $m AND window_start >= $f AND window_end <= $t
                GROUP BY window_start
                """;
            cmd.Parameters.AddWithValue("$m", Metric.Events);
            cmd.Parameters.AddWithValue("$f", fromMicros);
            cmd.Parameters.AddWithValue("$t", toMicros);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                counts[r.GetInt64(0)] = r.GetInt64(1);
            }
        }

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
    public static (long Events, long Duplicates, long Invalid, long Late) Totals(AggregateStore store, long fromMicros, long toMicros)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = """
            SELECT metric, sum(value) FROM aggregates
            WHERE metric IN ($e, $d, $i, $l) AND window_start >= $f AND window_end <= $t
            GROUP BY metric
            """;
        cmd.Parameters.AddWithValue("$e", Metric.Events);
        cmd.Parameters.AddWithValue("$d", Metric.Duplicates);
        cmd.Parameters.AddWithValue("$i", Metric.Invalid);
        cmd.Parameters.AddWithValue("$l", Metric.Late);
        cmd.Parameters.AddWithValue("$f", fromMicros);
        cmd.Parameters.AddWithValue("$t", toMicros);
        long events = 0, duplicates = 0, invalid = 0, late = 0;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var value = r.GetInt64(1);
            switch (r.GetString(0))
            {
                case Metric.Events: events = value; break;
                case Metric.Duplicates: duplicates = value; break;
                case Metric.Invalid: invalid = value; break;
                default: late = value; break;
            }
        }

        return (events, duplicates, invalid, late);
    }
}
