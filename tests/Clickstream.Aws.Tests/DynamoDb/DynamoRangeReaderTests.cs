using Clickstream.Aws.DynamoDb;

namespace Clickstream.Aws.Tests.DynamoDb;

/// <summary>Reads of ranges: partition by partition, with a cache that re-reads exactly what a newer batch wrote.</summary>
public sealed class DynamoRangeReaderTests
{
    private static readonly string[] AllMetrics = ["events", "top_products", "active_users", "late", "duplicates", "invalid"];
    private static readonly long From = TestBatches.T0 - (40 * TestBatches.Minute);
    private static readonly long To = TestBatches.T0 + (60 * TestBatches.Minute);

    [Fact]
    public async Task Read_Repeated_ComesFromTheCacheAndRereadsOnlyTheWindowsANewBatchWrote()
    {
        var table = new InMemoryAggregateTable();
        var writer = new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System);
        for (var b = 0; b < 6; b++)
        {
            await writer.ApplyBatchAsync(TestBatches.Batch(b), CancellationToken.None);
        }

        var reader = new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System);
        var first = await reader.ReadAsync(From, To, AllMetrics, CancellationToken.None);
        Assert.Equal(await FreshAsync(table), TestBatches.Lines(first));
        var queried = reader.Stats.PartitionQueries;
        Assert.True(queried > 0);

        // Nothing new: no partition is read again.
        Assert.Equal(TestBatches.Lines(first), TestBatches.Lines(await reader.ReadAsync(From, To, AllMetrics, CancellationToken.None)));
        Assert.Equal(queried, reader.Stats.PartitionQueries);

        // Batch 6 writes windows 5 and 6 (absolute), two late windows, and window 6 of duplicates and invalid; the
        // range now also reaches window 6 of late, which nobody wrote (an empty partition, read once).
        await writer.ApplyBatchAsync(TestBatches.Batch(6), CancellationToken.None);
        var third = await reader.ReadAsync(From, To, AllMetrics, CancellationToken.None);
        Assert.Equal(await FreshAsync(table), TestBatches.Lines(third));
        var windowsReread = reader.Stats.PartitionQueries - queried;
        const int TopProductShards = 4;
        Assert.Equal((2 * (1 + TopProductShards + 1)) + 2 + 1 + 1 + 1, windowsReread);
    }

    [Fact]
    public async Task Read_AfterMoreBatchesThanTheMetadataLists_DropsWhatCanChangeAndStaysExact()
    {
        var table = new InMemoryAggregateTable();
        var options = TestBatches.Options() with { RecentBatchesKept = 2 };
        var writer = new DynamoAggregateStore(table, options, TimeProvider.System);
        await writer.ApplyBatchAsync(TestBatches.Batch(0) with { WatermarkMicros = TestBatches.T0 - TestBatches.Minute }, CancellationToken.None);
        var reader = new DynamoAggregateStore(table, options, TimeProvider.System);
        await reader.ReadAsync(From, To, AllMetrics, CancellationToken.None);

        for (var b = 1; b < 6; b++)
        {
            await writer.ApplyBatchAsync(TestBatches.Batch(b) with { WatermarkMicros = TestBatches.T0 + ((b - 2) * TestBatches.Minute) }, CancellationToken.None);
        }

        Assert.Equal(await FreshAsync(table), TestBatches.Lines(await reader.ReadAsync(From, To, AllMetrics, CancellationToken.None)));

        // Windows that were final at the first read (absolute metrics, below the watermark) came from the cache.
        Assert.True(reader.Stats.CachedPartitions > 0);
    }

    [Fact]
    public async Task Read_ARangeNeedingTooManyQueries_ScansAndGivesTheSameRows()
    {
        var table = new InMemoryAggregateTable();
        var writer = new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System);
        await writer.ApplyBatchAsync(TestBatches.Batch(0), CancellationToken.None);
        await writer.ApplyBatchAsync(TestBatches.Batch(1), CancellationToken.None);
        var scanning = new DynamoAggregateStore(table, TestBatches.Options() with { MaxPartitionQueriesPerRead = 1 }, TimeProvider.System);

        var rows = await scanning.ReadAsync(From, To, AllMetrics, CancellationToken.None);
        Assert.Equal(await FreshAsync(table), TestBatches.Lines(rows));
        Assert.Equal(0, scanning.Stats.PartitionQueries);
    }

    [Fact]
    public async Task Read_PartOfTheRange_ReturnsOnlyWholeWindowsInsideIt()
    {
        var table = new InMemoryAggregateTable();
        var writer = new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System);
        await writer.ApplyBatchAsync(TestBatches.Batch(1), CancellationToken.None);

        // [T0 + 30 s, T0 + 2 min) holds window 1 only.
        var rows = await writer.ReadAsync(TestBatches.T0 + 30_000_000, TestBatches.T0 + (2 * TestBatches.Minute), ["events"], CancellationToken.None);
        Assert.All(rows, r => Assert.Equal(TestBatches.T0 + TestBatches.Minute, r.WindowStartMicros));
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public async Task All_OrdersKeysByUtf8BytesAsSqliteDoes()
    {
        var table = new InMemoryAggregateTable();
        var store = new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System);
        string[] keys = ["\U0001F600", "\uFFFD", "b", "a", "\u00e9", "longest-" + new string('x', 1100)];
        var rows = keys.Select(k => new DynamoRow("events", TestBatches.T0, TestBatches.T0 + TestBatches.Minute, k, k.Length, null, false)).ToList();
        await store.ApplyBatchAsync(new DynamoBatch("q", 0, rows, TestBatches.Now), CancellationToken.None);

        var all = await store.AllAsync(CancellationToken.None);
        Assert.Equal(["a", "b", "longest-" + new string('x', 1100), "\u00e9", "\uFFFD", "\U0001F600"], all.Select(r => r.Key));
    }

    [Fact]
    public async Task All_AKeyTooLongForASortKey_RoundTripsThroughItsHash()
    {
        var table = new RecordingTable(new InMemoryAggregateTable());
        var store = new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System);
        var key = new string('k', 2000);
        await store.ApplyBatchAsync(new DynamoBatch("q", 0, [new DynamoRow("page_views", TestBatches.T0, TestBatches.T0 + TestBatches.Minute, key, 3, null, false)], TestBatches.Now), CancellationToken.None);

        Assert.True(table.Writes.Single().Sort.Length < DynamoKeys.MaxSortKeyBytes);
        Assert.Equal(key, (await store.AllAsync(CancellationToken.None)).Single().Key);
    }

    private static async Task<List<string>> FreshAsync(IAggregateTable table) =>
        TestBatches.Lines(await new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System).ReadAsync(From, To, AllMetrics, CancellationToken.None));
}
