using System.Globalization;
using Clickstream.Dashboard;
using Clickstream.Jobs.Store;
using Microsoft.Data.Sqlite;

namespace Clickstream.Jobs.Dashboard;

/// <summary>
/// The dashboard's figures from the SQLite aggregate store (and, when given, the job's checkpoint progress). Every
/// call opens its own read-only connection: SQLite connections are not shared between threads, opening one is cheap,
/// and a store that appears or is replaced while the dashboard runs is simply picked up.
/// Ranges end at the newest event window in the store, not at the wall clock, so replayed or generated history is
/// shown as it would have looked live.
/// </summary>
internal sealed class StoreDashboardData(string storePath, string? checkpointDir, TimeProvider time) : IDashboardData
{
    private const long MinuteMicros = 60_000_000;
    private const long FiveMinutesMicros = 5 * MinuteMicros;

    public DataVersion GetVersion() => Read(store =>
    {
        var (batchId, committedAt) = DashboardQueries.NewestBatch(store);
        return committedAt is null ? DataVersion.None : new DataVersion(batchId, ParseTime(committedAt));
    });

    public DashboardMetrics GetMetrics(TimeSpan range) => Read(store =>
    {
        if (StoreQueries.NewestWindowEnd(store) is not { } to)
        {
            return new DashboardMetrics(false, null, null, 0, 0, 0, 0, 0, 0, [], [], [], []);
        }

        var from = to - ToMicros(range);
        var view = StoreQueries.View(store, from, to);
        return new DashboardMetrics(
            true,
            FromMicros(from),
            FromMicros(to),
            StoreQueries.ActiveUsers(store, to - FiveMinutesMicros, to),
            view.ActiveUsers,
            view.Events,
            view.Duplicates,
            view.Invalid,
            view.Late,
            [.. view.PageViewsByCategory.Select(x => new CategoryViews(x.Key, x.Value))],
            [.. view.Funnel.Select(x => new FunnelStep(x.Step, x.Sessions, x.Conversion is { } c ? Math.Round(c, 4) : null))],
            [.. view.TopProducts.Select(x => new ProductViews(x.Key, x.Value))],
            [.. DashboardQueries.EventsPerMinute(store, from, to).Select(x => new MinuteCount(FromMicros(x.Start), x.Events))]);
    });

    public PipelineHealth GetHealth(TimeSpan range) => Read(store =>
    {
        var now = time.GetUtcNow();
        var (batchId, committedText) = DashboardQueries.NewestBatch(store);
        var committedAt = committedText is null ? (DateTimeOffset?)null : ParseTime(committedText);
        var to = StoreQueries.NewestWindowEnd(store);
        double eventsPerSecond = 0, invalidRate = 0, duplicateRate = 0, lateRate = 0;
        if (to is { } end)
        {
            eventsPerSecond = DashboardQueries.Totals(store, end - FiveMinutesMicros, end).Events / 300.0;
            var (events, duplicates, invalid, late) = DashboardQueries.Totals(store, end - ToMicros(range), end);
            var input = (double)(events + duplicates + invalid + late);
            if (input > 0)
            {
                invalidRate = invalid / input;
                duplicateRate = duplicates / input;
                lateRate = late / input;
            }
        }

        var progress = checkpointDir is null ? null : CheckpointProgress.ReadLatest(checkpointDir);
        double? lag = progress is { Watermark: { } wm, MaxEventTime: { } max } ? Math.Max(0, (max - wm).TotalSeconds) : null;
        return new PipelineHealth(
            now,
            committedText is null ? null : batchId,
            committedAt,
            committedAt is { } c ? Math.Round(Math.Max(0, (now - c).TotalSeconds), 1) : null,
            to is { } t ? FromMicros(t) : null,
            progress?.Watermark,
            lag,
            Math.Round(eventsPerSecond, 2),
            progress?.ProcessedRowsPerSecond,
            Math.Round(invalidRate, 5),
            Math.Round(duplicateRate, 5),
            Math.Round(lateRate, 5));
    });

    private T Read<T>(Func<AggregateStore, T> query)
    {
        if (!File.Exists(storePath))
        {
            throw new DashboardDataUnavailableException($"the aggregate store {storePath} does not exist yet (run `clickstream stream --store {storePath}`)");
        }

        try
        {
            using var store = new AggregateStore(storePath, readOnly: true);
            return query(store);
        }
        catch (Exception e) when (e is SqliteException or InvalidDataException or IOException)
        {
            throw new DashboardDataUnavailableException($"the aggregate store {storePath} cannot be read: {e.Message}", e);
        }
    }

    private static long ToMicros(TimeSpan span) => span.Ticks / 10;

    private static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
