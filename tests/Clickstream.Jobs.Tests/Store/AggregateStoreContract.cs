using System.Globalization;
using Clickstream.Jobs.Store;
using Clickstream.Jobs.Streaming;

namespace Clickstream.Jobs.Tests.Store;

/// <summary>
/// What every aggregate store does (SQLite, DynamoDB on the fake, DynamoDB Local): the job's batches applied once,
/// however often they are delivered, and read back exactly as the SQLite store reads them.
/// </summary>
public abstract class AggregateStoreContract
{
    private const long Minute = 60_000_000;

    /// <summary>A new, empty, writable store.</summary>
    internal abstract IAggregateStore OpenNew();

    /// <summary>A second handle on the same store (a restarted process).</summary>
    internal abstract IAggregateStore Reopen(IAggregateStore store);

    [Fact]
    public async Task ApplyBatch_TheJobsBatches_ReadBackAsSqliteReadsThem()
    {
        var batches = await RecordedBatches.GetAsync();
        using var sqlite = new SqliteAggregateStore(Path.Combine(Path.GetTempPath(), $"contract-{Guid.NewGuid():N}.db"));
        using var store = OpenNew();
        foreach (var (id, rows) in batches)
        {
            Assert.True(sqlite.ApplyBatch("q", id, rows, RecordedBatches.Committed.AddSeconds(id)));
            Assert.True(store.ApplyBatch("q", id, rows, RecordedBatches.Committed.AddSeconds(id), null));
        }

        Assert.True(batches.Count >= 4);
        AssertSameReads(sqlite, store);
        using var reopened = Reopen(store);
        AssertSameReads(sqlite, reopened);
        File.Delete(sqlite.Location);
    }

    [Fact]
    public async Task ApplyBatch_ReplayedBatches_ChangeNothingAndReportSkipped()
    {
        var batches = await RecordedBatches.GetAsync();
        using var store = OpenNew();
        foreach (var (id, rows) in batches)
        {
            store.ApplyBatch("q", id, rows, RecordedBatches.Committed, null);
        }

        var export = Export(store);
        using var restarted = Reopen(store);
        Assert.Equal(batches[^1].BatchId, restarted.LastBatchId("q"));
        Assert.Equal(-1, restarted.LastBatchId("other"));
        foreach (var (id, rows) in batches)
        {
            Assert.False(restarted.ApplyBatch("q", id, rows, RecordedBatches.Committed, null));
        }

        Assert.Equal(export, Export(restarted));
    }

    [Fact]
    public void NewestBatchAndWindow_EmptyStore_AreNull()
    {
        using var store = OpenNew();
        Assert.Null(store.NewestBatch());
        Assert.Null(store.NewestWindowEnd());
        Assert.Empty(store.All());
        Assert.Equal(0, store.ActiveUsers(0, long.MaxValue / 2));
        Assert.Equal(default, store.Totals(0, long.MaxValue / 2));
    }

    [Fact]
    public void ApplyBatch_LedgerRowsOnePerEvent_AreSummedAndAddedAcrossBatches()
    {
        var start = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
        StoreRow Late(long w) => new(Metric.Late, start + (w * Minute), start + ((w + 1) * Minute), null, 1, null, true);
        StoreRow Events(long n) => new(Metric.Events, start, start + Minute, "page_view", n, null, false);
        using var store = OpenNew();
        store.ApplyBatch("q", 0, [Late(0), Late(0), Late(1), Events(5)], RecordedBatches.Committed, null);
        store.ApplyBatch("q", 1, [Late(0), Events(9)], RecordedBatches.Committed, null);

        Assert.Equal(
            ["events 0 page_view 9", "late 0 - 3", "late 1 - 1"],
            store.All().Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Metric} {(r.Start - start) / Minute} {r.Key ?? "-"} {r.Value}")));
        Assert.Equal(new StoreTotals(9, 0, 0, 4), store.Totals(start, start + (2 * Minute)));
        Assert.Equal(start + Minute, store.NewestWindowEnd());
        Assert.Equal(1, store.NewestBatch()!.BatchId);
    }

    private static void AssertSameReads(IAggregateStore expected, IAggregateStore actual)
    {
        Assert.Equal(Export(expected), Export(actual));
        Assert.Equal(expected.NewestWindowEnd(), actual.NewestWindowEnd());
        Assert.Equal(expected.NewestBatch(), actual.NewestBatch());
        var end = expected.NewestWindowEnd()!.Value;
        var first = expected.All().Min(r => r.Start);
        foreach (var (from, to) in new[] { (end - (5 * Minute), end), (end - (15 * Minute), end), (first, end), (first - (90 * Minute), end + Minute), (end - (7 * Minute) + 1_234_567, end - 30_000_000) })
        {
            Assert.Equal(View(expected, from, to), View(actual, from, to));
            Assert.Equal(expected.Totals(from, to), actual.Totals(from, to));
            Assert.Equal(expected.ActiveUsers(from, to), actual.ActiveUsers(from, to));
            Assert.Equal(expected.EventsPerWindow(from, to).OrderBy(p => p.Key), actual.EventsPerWindow(from, to).OrderBy(p => p.Key));
        }
    }

    private static List<string> Export(IAggregateStore store) =>
        [.. store.All().Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Metric} {r.Start} {r.End} {r.Key ?? "null"} {r.Value}"))];

    private static string View(IAggregateStore store, long from, long to)
    {
        var v = StoreQueries.View(store, from, to);
        return string.Join(
            "\n",
            v.ActiveUsers,
            string.Join(",", v.PageViewsByCategory),
            string.Join(",", v.Funnel),
            string.Join(",", v.TopProducts),
            string.Join(",", v.EventsByType),
            v.Events,
            v.Duplicates,
            v.Invalid,
            v.Late);
    }
}
