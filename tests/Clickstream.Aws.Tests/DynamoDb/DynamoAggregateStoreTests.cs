using Clickstream.Aws.DynamoDb;

namespace Clickstream.Aws.Tests.DynamoDb;

/// <summary>The write protocol on the in-memory table: idempotent per row through crashes, retries of throttling and unprocessed items.</summary>
public sealed class DynamoAggregateStoreTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ApplyBatch_ReplayAfterACrashAtAnyWrite_AddsNothingTwice(bool conditionalUpdates)
    {
        var mode = conditionalUpdates ? AbsoluteWriteMode.ConditionalUpdate : AbsoluteWriteMode.BatchPut;
        var batches = new[] { TestBatches.Batch(0), TestBatches.Batch(1), TestBatches.Batch(2) };
        var expected = await TestBatches.ExpectedAsync(batches);
        var options = TestBatches.Options() with { AbsoluteWrites = mode, MaxConcurrentWrites = 3 };

        // Count the item writes batch 1 makes, then crash after every possible number of them.
        var probe = new InMemoryAggregateTable();
        var probeStore = new DynamoAggregateStore(probe, options, TimeProvider.System);
        await probeStore.ApplyBatchAsync(batches[0], CancellationToken.None);
        var before = probe.ItemWrites;
        await probeStore.ApplyBatchAsync(batches[1], CancellationToken.None);
        var writes = probe.ItemWrites - before;
        Assert.True(writes > 40, $"batch 1 made only {writes} writes");

        for (var k = 0; k <= writes; k += k < 8 ? 1 : 7)
        {
            var table = new InMemoryAggregateTable();
            var first = new DynamoAggregateStore(table, options, TimeProvider.System);
            Assert.True(await first.ApplyBatchAsync(batches[0], CancellationToken.None));
            table.CrashAfter(k);
            await Assert.ThrowsAsync<AwsCallException>(() => first.ApplyBatchAsync(batches[1], CancellationToken.None));

            // The restarted job replays batch 1 with the same rows, then goes on.
            table.Restart();
            var second = new DynamoAggregateStore(table, options, TimeProvider.System);
            Assert.Equal(0, await second.LastBatchIdAsync("q1", CancellationToken.None));
            Assert.True(await second.ApplyBatchAsync(batches[1], CancellationToken.None));
            Assert.True(await second.ApplyBatchAsync(batches[2], CancellationToken.None));
            Assert.Equal(expected, TestBatches.Lines(table.Rows));
        }
    }

    [Fact]
    public async Task ApplyBatch_CrashDuringTheReplayToo_StillAddsNothingTwice()
    {
        var batches = new[] { TestBatches.Batch(0), TestBatches.Batch(1) };
        var expected = await TestBatches.ExpectedAsync(batches);
        var table = new InMemoryAggregateTable();
        Assert.True(await new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System).ApplyBatchAsync(batches[0], CancellationToken.None));
        foreach (var k in new[] { 30, 10, 50 })
        {
            table.CrashAfter(k);
            await Assert.ThrowsAsync<AwsCallException>(() => new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System).ApplyBatchAsync(batches[1], CancellationToken.None));
            table.Restart();
        }

        Assert.True(await new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System).ApplyBatchAsync(batches[1], CancellationToken.None));
        Assert.Equal(expected, TestBatches.Lines(table.Rows));
    }

    [Fact]
    public async Task ApplyBatch_ReplayOfACommittedBatch_IsSkippedWithoutWritingARow()
    {
        var table = new InMemoryAggregateTable();
        var batch = TestBatches.Batch(0);
        Assert.True(await new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System).ApplyBatchAsync(batch, CancellationToken.None));
        var writes = table.ItemWrites;
        var restarted = new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System);

        Assert.False(await restarted.ApplyBatchAsync(batch, CancellationToken.None));
        Assert.Equal(writes, table.ItemWrites);
        Assert.Equal(1, restarted.Stats.BatchesSkipped);
        Assert.Equal(await TestBatches.ExpectedAsync(batch), TestBatches.Lines(table.Rows));
    }

    [Fact]
    public async Task ApplyBatch_UnprocessedItems_AreSentAgainUntilWritten()
    {
        var table = new InMemoryAggregateTable();
        table.LeaveUnprocessed(calls: 4, items: 10);
        var store = new DynamoAggregateStore(table, TestBatches.Options() with { MaxConcurrentWrites = 1 }, TimeProvider.System);
        var batch = TestBatches.Batch(1, products: 200);

        Assert.True(await store.ApplyBatchAsync(batch, CancellationToken.None));
        Assert.Equal(40, store.Stats.UnprocessedItems);
        Assert.True(store.Retry.Retries >= 4, $"{store.Retry.Retries} retries");
        Assert.Equal(await TestBatches.ExpectedAsync(batch), TestBatches.Lines(table.Rows));
    }

    [Fact]
    public async Task ApplyBatch_Throttled_BacksOffAndSucceeds()
    {
        var table = new InMemoryAggregateTable();
        table.ThrottleNext(6);
        var store = new DynamoAggregateStore(table, TestBatches.Options() with { AbsoluteWrites = AbsoluteWriteMode.ConditionalUpdate }, TimeProvider.System);
        var batch = TestBatches.Batch(3);

        Assert.True(await store.ApplyBatchAsync(batch, CancellationToken.None));
        Assert.True(store.Retry.Retries >= 6, $"{store.Retry.Retries} retries");
        Assert.Equal(await TestBatches.ExpectedAsync(batch), TestBatches.Lines(table.Rows));
    }

    [Fact]
    public async Task ApplyBatch_ThrottledPastTheDeadline_FailsRetryableAndTheReplayCompletesIt()
    {
        var table = new InMemoryAggregateTable();
        var batch = TestBatches.Batch(2);
        table.ThrottleNext(int.MaxValue);
        var store = new DynamoAggregateStore(table, TestBatches.Options() with { RetryDeadline = TimeSpan.FromMilliseconds(300) }, TimeProvider.System);

        var error = await Assert.ThrowsAsync<AwsCallException>(() => store.ApplyBatchAsync(batch, CancellationToken.None));
        Assert.True(error.Retryable);
        Assert.Contains("ProvisionedThroughputExceededException", error.Message, StringComparison.Ordinal);

        table.ThrottleNext(0);
        Assert.True(await new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System).ApplyBatchAsync(batch, CancellationToken.None));
        Assert.Equal(await TestBatches.ExpectedAsync(batch), TestBatches.Lines(table.Rows));
    }

    [Fact]
    public async Task ApplyBatch_LedgerRows_AreSummedPerItemAndWrittenOnce()
    {
        var table = new InMemoryAggregateTable();
        var store = new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System);
        await store.ApplyBatchAsync(TestBatches.Batch(0), CancellationToken.None);
        await store.ApplyBatchAsync(TestBatches.Batch(1), CancellationToken.None);

        var late = table.Rows.Where(r => r.Metric == "late").OrderBy(r => r.WindowStartMicros).Select(r => r.Value).ToList();
        var duplicates = table.Rows.Where(r => r.Metric == "duplicates").Select(r => r.Value).ToList();
        Assert.Equal([6, 4], late);                  // 3 + 2 per batch, two batches
        Assert.Equal([5, 5], duplicates);            // one window per batch
        Assert.Equal(2, store.Stats.BatchesApplied);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ApplyBatch_ANewerBatchOfAnotherWriterOnTheSameQuery_FailsBeforeWritingARow(bool conditionalUpdates)
    {
        var mode = conditionalUpdates ? AbsoluteWriteMode.ConditionalUpdate : AbsoluteWriteMode.BatchPut;
        var table = new InMemoryAggregateTable();
        var zombie = new DynamoAggregateStore(table, TestBatches.Options() with { AbsoluteWrites = mode }, TimeProvider.System);
        Assert.Equal(-1, await zombie.LastBatchIdAsync("q1", CancellationToken.None));
        var live = new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System);
        await live.ApplyBatchAsync(TestBatches.Batch(0), CancellationToken.None);
        await live.ApplyBatchAsync(TestBatches.Batch(1), CancellationToken.None);
        var rows = TestBatches.Lines(table.Rows);
        var writes = table.ItemWrites;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => zombie.ApplyBatchAsync(TestBatches.Batch(0), CancellationToken.None));
        Assert.Contains("another process writes the same query", error.Message, StringComparison.Ordinal);
        Assert.Equal(writes, table.ItemWrites);
        Assert.Equal(rows, TestBatches.Lines(table.Rows));
    }

    [Fact]
    public async Task ApplyBatch_TwoQueries_KeepTheirOwnBatchIds()
    {
        var table = new InMemoryAggregateTable();
        var store = new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System);
        await store.ApplyBatchAsync(TestBatches.Batch(0, "shard-a"), CancellationToken.None);
        await store.ApplyBatchAsync(TestBatches.Batch(0, "shard-b"), CancellationToken.None);

        // The ledger item of one window got both queries' additions; each query's replay is skipped.
        Assert.Equal(10, table.Rows.Single(r => r.Metric == "duplicates").Value);
        Assert.False(await new DynamoAggregateStore(table, TestBatches.Options(), TimeProvider.System).ApplyBatchAsync(TestBatches.Batch(0, "shard-a"), CancellationToken.None));
        var metas = await store.QueriesAsync(CancellationToken.None);
        Assert.Equal(["shard-a", "shard-b"], metas.Select(m => m.QueryId).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(59_000_000, 0)]
    [InlineData(60_000_000, 1)]
    public async Task ApplyBatch_ARowThatIsNotAnAlignedMinute_IsRefused(long length, long offset)
    {
        var store = new DynamoAggregateStore(new InMemoryAggregateTable(), TestBatches.Options(), TimeProvider.System);
        var row = new DynamoRow("events", TestBatches.T0 + offset, TestBatches.T0 + offset + length, "page_view", 1, null, false);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.ApplyBatchAsync(new DynamoBatch("q", 0, [row], TestBatches.Now), CancellationToken.None));
        Assert.Contains("aligned window", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyBatch_TtlAttribute_IsTheRetentionAfterTheWindowEndOrAfterTheWriteWhicheverIsLater()
    {
        var table = new RecordingTable(new InMemoryAggregateTable());
        var store = new DynamoAggregateStore(table, TestBatches.Options() with { RowRetention = TimeSpan.FromHours(48) }, TimeProvider.System);
        var committed = DateTimeOffset.FromUnixTimeMilliseconds(TestBatches.T0 / 1000).AddMinutes(-10);
        await store.ApplyBatchAsync(TestBatches.Batch(0) with { CommittedAt = committed }, CancellationToken.None);

        var late = table.Writes.First(w => w.Row.Metric == "late");
        var events = table.Writes.First(w => w.Row.Metric == "events");
        Assert.Equal(committed.ToUnixTimeSeconds() + (48 * 3600), late.TtlSeconds);
        Assert.Equal((TestBatches.T0 / 1_000_000) + 60 + (48 * 3600), events.TtlSeconds);
    }
}
