using Clickstream.Engine.Sketches;
using Clickstream.Jobs.Streaming;
using Microsoft.Data.Sqlite;

namespace Clickstream.Jobs.Store;

/// <summary>Read-side queries over the aggregate store: the dashboard view of a range and the full export.</summary>
internal static class StoreQueries
{
    private const long MinuteMicros = 60_000_000;

    /// <summary>The end of the newest event window, or null for an empty store.</summary>
    public static long? NewestWindowEnd(AggregateStore store)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "SELECT max(window_end) FROM aggregates WHERE metric = $m";
        cmd.Parameters.AddWithValue("$m", Metric.Events);
        return cmd.ExecuteScalar() is long v ? v : null;
    }

    /// <summary>The dashboard view of windows inside [from, to).</summary>
    public static DashboardView View(AggregateStore store, long fromMicros, long toMicros)
    {
        var byMetric = new Dictionary<string, List<(string Key, long Value)>>(StringComparer.Ordinal);
        using (var cmd = store.Connection.CreateCommand())
        {
            cmd.CommandText = """
                SELECT metric, key, sum(value) FROM aggregates
                WHERE window_start >= $f AND window_end <= $t AND metric <> $au
                GROUP BY metric, key
                """;
            cmd.Parameters.AddWithValue("$f", fromMicros);
            cmd.Parameters.AddWithValue("$t", toMicros);
            cmd.Parameters.AddWithValue("$au", Metric.ActiveUsers);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var metric = r.GetString(0);
                if (!byMetric.TryGetValue(metric, out var list))
                {
                    byMetric[metric] = list = [];
                }

                list.Add((r.GetString(1), r.GetInt64(2)));
            }
        }

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
            ActiveUsers(store, fromMicros, toMicros),
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
    public static long ActiveUsers(AggregateStore store, long fromMicros, long toMicros)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "SELECT sketch FROM aggregates WHERE metric = $m AND window_start >= $f AND window_end <= $t AND sketch IS NOT NULL";
        cmd.Parameters.AddWithValue("$m", Metric.ActiveUsers);
        cmd.Parameters.AddWithValue("$f", fromMicros);
        cmd.Parameters.AddWithValue("$t", toMicros);
        using var r = cmd.ExecuteReader();
        HyperLogLog? union = null;
        while (r.Read())
        {
            var sketch = HyperLogLog.FromBytes((byte[])r.GetValue(0));
            if (union is null)
            {
                union = sketch;
            }
            else
            {
                union.Merge(sketch);
            }
        }

        return union?.Estimate() ?? 0;
    }

    /// <summary>Every aggregate row in (metric, window_start, key) order.</summary>
    public static IEnumerable<(string Metric, long Start, long End, string? Key, long Value)> All(AggregateStore store)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "SELECT metric, window_start, window_end, key, value FROM aggregates ORDER BY metric, window_start, key";
        using SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            var key = r.GetString(3);
            yield return (r.GetString(0), r.GetInt64(1), r.GetInt64(2), key.Length == 0 ? null : key, r.GetInt64(4));
        }
    }

    /// <summary>Floors a time to its minute window start.</summary>
    public static long FloorToWindow(long micros) => micros - (((micros % MinuteMicros) + MinuteMicros) % MinuteMicros);
}
