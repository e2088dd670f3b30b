using Clickstream.Aws;
using Clickstream.Dashboard;
using Clickstream.Jobs.Store;
using Microsoft.Data.Sqlite;

namespace Clickstream.Jobs.Dashboard;

/// <summary>
/// The dashboard's figures from the aggregate store (and, when given, the job's checkpoint progress). On SQLite every
/// call opens its own read-only connection: connections are not shared between threads, opening one is cheap, and a
/// store that appears or is replaced while the dashboard runs is simply picked up. On DynamoDB all requests share one
/// store, whose partition cache makes a refresh re-read only the windows the job wrote since the last one.
/// Ranges end at the newest event window in the store, not at the wall clock, so replayed or generated history is
/// shown as it would have looked live.
/// </summary>
internal sealed class StoreDashboardData : IDashboardData
{
    private const long MinuteMicros = 60_000_000;
    private const long FiveMinutesMicros = 5 * MinuteMicros;

    private readonly string _store;
    private readonly string? _checkpointDir;
    private readonly TimeProvider _time;

    // DynamoDB: one store for every request, opened on first use (and again after a failed open).
    private readonly Lazy<IAggregateStore>? _shared;

    public StoreDashboardData(string store, string? checkpointDir, TimeProvider time)
        : this(store, checkpointDir, time, null)
    {
    }

    private StoreDashboardData(string store, string? checkpointDir, TimeProvider time, IAggregateStore? opened)
    {
        _checkpointDir = checkpointDir;
        _time = time;
        if (AggregateStores.IsDynamoDb(store))
        {
            _store = StoreLocation.Parse(store).Text;
            _shared = opened is not null
                ? new Lazy<IAggregateStore>(opened)
                : new Lazy<IAggregateStore>(() => AggregateStores.Open(_store, readOnly: true), LazyThreadSafetyMode.PublicationOnly);
        }
        else
        {
            _store = Path.GetFullPath(store);
        }
    }

    /// <summary>
    /// The dashboard data of <paramref name="store"/>, checked now: a DynamoDB table that cannot be used fails here with
    /// one line (a SQLite file may appear later).
    /// </summary>
    public static StoreDashboardData Open(string store, string? checkpointDir, TimeProvider time) =>
        AggregateStores.IsDynamoDb(store)
            ? new StoreDashboardData(store, checkpointDir, time, AggregateStores.Open(store, readOnly: true))
            : new StoreDashboardData(store, checkpointDir, time);

    /// <summary>The dashboard data over an open DynamoDB store (benchmarks and tests), shared by every request.</summary>
    internal static StoreDashboardData Over(IAggregateStore store, TimeProvider time) => new(store.Location, null, time, store);

    public DataVersion GetVersion() => Read(store =>
        store.NewestBatch() is { } newest ? new DataVersion(newest.BatchId, newest.CommittedAt) : DataVersion.None);

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
        var now = _time.GetUtcNow();
        var newest = DashboardQueries.NewestBatch(store);
        var committedAt = newest?.CommittedAt;
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

        var progress = _checkpointDir is null ? null : CheckpointProgress.ReadLatest(_checkpointDir);
        double? lag = progress is { Watermark: { } wm, MaxEventTime: { } max } ? Math.Max(0, (max - wm).TotalSeconds) : null;
        return new PipelineHealth(
            now,
            newest?.BatchId,
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

    private T Read<T>(Func<IAggregateStore, T> query)
    {
        if (_shared is not null)
        {
            try
            {
                return query(_shared.Value);
            }
            catch (Exception e) when (e is AwsCallException or AwsLocationException or InvalidDataException or InvalidOperationException)
            {
                throw new DashboardDataUnavailableException($"the aggregate store {_store} cannot be read: {e.Message}", e);
            }
        }

        if (!File.Exists(_store))
        {
            throw new DashboardDataUnavailableException($"the aggregate store {_store} does not exist yet (run `clickstream stream --store {_store}`)");
        }

        try
        {
            using var store = new SqliteAggregateStore(_store, readOnly: true);
            return query(store);
        }
        catch (Exception e) when (e is SqliteException or InvalidDataException or IOException)
        {
            throw new DashboardDataUnavailableException($"the aggregate store {_store} cannot be read: {e.Message}", e);
        }
    }

    private static long ToMicros(TimeSpan span) => span.Ticks / 10;

    private static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
}
