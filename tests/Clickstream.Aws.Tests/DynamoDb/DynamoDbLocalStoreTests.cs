using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Clickstream.Aws.DynamoDb;

namespace Clickstream.Aws.Tests.DynamoDb;

/// <summary>The store against DynamoDB Local: the table it creates, the start-up probe, and the write protocol on real calls.</summary>
public sealed class DynamoDbLocalStoreTests
{
    [Fact]
    public async Task CreateTable_Twice_IsOnDemandWithTheKeysAndTtlOn()
    {
        using var client = DynamoDbLocal.Client();
        var name = DynamoDbLocal.NewTableName("create");
        await DynamoAggregateStore.CreateTableAsync(client, name, CancellationToken.None);
        await DynamoAggregateStore.CreateTableAsync(client, name, CancellationToken.None);

        var table = (await client.DescribeTableAsync(name)).Table;
        Assert.Equal(TableStatus.ACTIVE, table.TableStatus);
        Assert.Equal(BillingMode.PAY_PER_REQUEST, table.BillingModeSummary?.BillingMode);
        Assert.Equal(["pk HASH", "sk RANGE"], table.KeySchema.Select(k => $"{k.AttributeName} {k.KeyType}"));
        Assert.All(table.AttributeDefinitions, a => Assert.Equal(ScalarAttributeType.S, a.AttributeType));
        var ttl = (await client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = name })).TimeToLiveDescription;
        Assert.Equal(TimeToLiveStatus.ENABLED, ttl.TimeToLiveStatus);
        Assert.Equal("ttl", ttl.AttributeName);
    }

    [Fact]
    public async Task CreateTable_ATableWithOtherKeysExists_FailsNamingTheKeys()
    {
        using var client = DynamoDbLocal.Client();
        var name = DynamoDbLocal.NewTableName("other-keys");
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition { AttributeName = "id", AttributeType = ScalarAttributeType.S }],
            KeySchema = [new KeySchemaElement { AttributeName = "id", KeyType = KeyType.HASH }],
        });

        var error = await Assert.ThrowsAsync<AwsLocationException>(() => DynamoAggregateStore.CreateTableAsync(client, name, CancellationToken.None));
        Assert.Contains($"dynamodb://{name}: the table's keys are (id, none)", error.Message, StringComparison.Ordinal);
        var probe = await Assert.ThrowsAsync<AwsLocationException>(() => DynamoTableProbe.CheckAsync(client, name, "--store"));
        Assert.StartsWith($"--store dynamodb://{name}: the table's keys are", probe.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_MissingTable_FailsWithOneLineNamingTheLocationAndTheFix()
    {
        using var client = DynamoDbLocal.Client();
        var name = DynamoDbLocal.NewTableName("missing");

        var error = await Assert.ThrowsAsync<AwsLocationException>(() => DynamoTableProbe.CheckAsync(client, name, "--store"));
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith($"--store dynamodb://{name}: the table {name} does not exist in ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"clickstream aws init --table {name}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_UnreachableEndpoint_FailsWithOneLine()
    {
        using var client = AwsClients.DynamoDb(DynamoDbLocal.Settings with { DynamoDbEndpoint = new Uri("http://127.0.0.1:9") });
        var error = await Assert.ThrowsAsync<AwsLocationException>(() => DynamoTableProbe.CheckAsync(client, "agg", "--store"));
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith("--store dynamodb://agg: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ApplyBatch_OnDynamoDbLocal_StoresWhatTheFakeStores(bool conditionalUpdates)
    {
        var mode = conditionalUpdates ? AbsoluteWriteMode.ConditionalUpdate : AbsoluteWriteMode.BatchPut;
        var (store, _) = await OpenAsync("same-as-fake", mode);
        var batches = Enumerable.Range(0, 4).Select(b => TestBatches.Batch(b, products: 120)).ToArray();
        foreach (var batch in batches)
        {
            Assert.True(await store.ApplyBatchAsync(batch, CancellationToken.None));
        }

        var expected = await TestBatches.ExpectedAsync(batches);
        Assert.Equal(expected, TestBatches.Lines(await store.AllAsync(CancellationToken.None)));
        var from = TestBatches.T0 - (60 * TestBatches.Minute);
        var to = TestBatches.T0 + (60 * TestBatches.Minute);
        string[] metrics = ["events", "top_products", "active_users", "late", "duplicates", "invalid"];
        Assert.Equal(expected, TestBatches.Lines(await store.ReadAsync(from, to, metrics, CancellationToken.None)));

        var meta = Assert.Single(await store.QueriesAsync(CancellationToken.None));
        Assert.Equal(3, meta.LastBatchId);
        Assert.Equal(TestBatches.T0 + (4 * TestBatches.Minute), meta.NewestWindowEndMicros);
        Assert.Equal(4, meta.Shards["top_products"]);
        Assert.Equal(4, meta.Recent.Count);
        Assert.True(store.Stats.WriteUnits >= store.Stats.ItemsWritten);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ApplyBatch_ReplayedWholeAndAfterACrashHalfway_ChangesNothing(bool conditionalUpdates)
    {
        var mode = conditionalUpdates ? AbsoluteWriteMode.ConditionalUpdate : AbsoluteWriteMode.BatchPut;
        var (store, table) = await OpenAsync("replay", mode);
        var batches = new[] { TestBatches.Batch(0), TestBatches.Batch(1), TestBatches.Batch(2) };
        var expected = await TestBatches.ExpectedAsync(batches);
        Assert.True(await store.ApplyBatchAsync(batches[0], CancellationToken.None));

        // Die halfway through batch 1 (after its 128 absolute rows and some of its ledger rows, then earlier), then finish.
        foreach (var k in new[] { 130, 20, 129 })
        {
            table.CrashAfter(k);
            await Assert.ThrowsAsync<AwsCallException>(() => Reopen(table, mode, writers: 1).ApplyBatchAsync(batches[1], CancellationToken.None));
        }

        table.CrashAfter(long.MaxValue);
        var restarted = Reopen(table, mode, writers: 1);
        Assert.True(await restarted.ApplyBatchAsync(batches[1], CancellationToken.None));
        Assert.True(restarted.Stats.ConditionalSkips > 0, "the replay found ledger rows of batch 1 already added");

        // A whole replay of a committed batch writes nothing.
        var writes = table.Writes.Count;
        Assert.False(await Reopen(table, mode).ApplyBatchAsync(batches[1], CancellationToken.None));
        Assert.Equal(writes, table.Writes.Count);

        Assert.True(await restarted.ApplyBatchAsync(batches[2], CancellationToken.None));
        Assert.Equal(expected, TestBatches.Lines(await restarted.AllAsync(CancellationToken.None)));
    }

    private static async Task<(DynamoAggregateStore Store, RecordingTable Table)> OpenAsync(string prefix, AbsoluteWriteMode mode)
    {
        var name = await DynamoDbLocal.CreateTableAsync(prefix);
        var table = new RecordingTable(new DynamoAggregateTable(DynamoDbLocal.Client(), name, TestBatches.Minute));
        return (Reopen(table, mode), table);
    }

    // One writer makes the order of a batch's writes fixed (its absolute rows, then its ledger rows), so a crash after
    // k writes always lands at the same place; with parallel writers it may fall before any ledger row.
    private static DynamoAggregateStore Reopen(RecordingTable table, AbsoluteWriteMode mode, int writers = 16) =>
        new(table, TestBatches.Options(table.Name) with { AbsoluteWrites = mode, MaxConcurrentWrites = writers }, TimeProvider.System);
}
