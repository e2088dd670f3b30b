using System.Text;
using System.Text.Json;
using Clickstream.Delta.Log;
using Clickstream.Delta.Storage;
using Clickstream.Delta.Table;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Tests.Table;

public sealed class TransactionTests
{
    [Fact]
    public async Task Create_WritesProtocolOneTwoAndMetadataAtVersionZero()
    {
        var (table, store) = await TestTables.CreateAsync();
        var text = Encoding.UTF8.GetString((await store.ReadAsync("_delta_log/00000000000000000000.json"))!);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("{\"commitInfo\":", lines[0], StringComparison.Ordinal);
        Assert.Contains("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}", lines);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(0, snapshot.Version);
        Assert.Equal(TestTables.Schema, snapshot.Schema);
        Assert.Equal(["day"], snapshot.PartitionColumns);
    }

    [Fact]
    public async Task Create_OnAnExistingTable_KeepsIt()
    {
        var (table, _) = await TestTables.CreateAsync();
        await TestTables.AppendAsync(table, TestTables.File("2025-03-01"));
        var again = await table.CreateIfAbsentAsync(TestTables.Schema, ["day"]);
        Assert.Equal(1, again.Version);
        await Assert.ThrowsAsync<DeltaFormatException>(() => table.CreateIfAbsentAsync(TestTables.Schema, ["name"]));
    }

    [Fact]
    public async Task Append_AddsFilesAndAdvancesTheVersion()
    {
        var (table, _) = await TestTables.CreateAsync();
        var r1 = await TestTables.AppendAsync(table, TestTables.File("2025-03-01"), TestTables.File("2025-03-02"));
        var r2 = await TestTables.AppendAsync(table, TestTables.File("2025-03-02"));
        Assert.Equal((1, false), (r1.Version, r1.AlreadyCommitted));
        Assert.Equal(2, r2.Version);
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(3, snapshot.FileCount);
        Assert.Equal(2, (await table.GetSnapshotAsync(1)).FileCount);
        Assert.Equal(0, (await table.GetSnapshotAsync(0)).FileCount);
    }

    [Fact]
    public async Task ApplicationTransaction_ReplayedBatchIsNotWrittenTwice()
    {
        var (table, _) = await TestTables.CreateAsync();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var txn = table.StartTransaction(await table.GetSnapshotAsync());
            txn.Add(TestTables.File("2025-03-01")).SetApplicationTransaction("query-1", 7);
            var result = await txn.CommitAsync();
            Assert.Equal(attempt == 1, result.AlreadyCommitted);
            Assert.Equal(1, result.Version);
        }

        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(1, snapshot.FileCount);
        Assert.Equal(7, snapshot.TransactionVersion("query-1"));
        Assert.Null(snapshot.TransactionVersion("other"));
    }

    [Fact]
    public async Task BlindAppends_FromTheSameSnapshot_BothLand()
    {
        var (table, _) = await TestTables.CreateAsync();
        var read = await table.GetSnapshotAsync();
        var a = table.StartTransaction(read).Add(TestTables.File("2025-03-01"));
        var b = table.StartTransaction(read).Add(TestTables.File("2025-03-01"));
        var ra = await a.CommitAsync();
        var rb = await b.CommitAsync();
        Assert.Equal(1, ra.Version);
        Assert.Equal(2, rb.Version);
        Assert.Equal(2, (await table.GetSnapshotAsync()).FileCount);
    }

    [Fact]
    public async Task ConcurrentAppends_ManyWriters_NoLostCommitAndNoDuplicateVersion()
    {
        var (table, store) = await TestTables.CreateAsync();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var other = DeltaTable.Open(store, "memtable");
            for (var i = 0; i < 10; i++)
            {
                var txn = other.StartTransaction(await other.GetSnapshotAsync());
                txn.Add(TestTables.File("2025-03-01", $"w{w}-{i}.parquet")).SetApplicationTransaction($"writer-{w}", i);
                Assert.False((await txn.CommitAsync()).AlreadyCommitted);
            }
        }));
        await Task.WhenAll(writers);
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(80, snapshot.Version);
        Assert.Equal(80, snapshot.FileCount);
        Assert.All(Enumerable.Range(0, 8), w => Assert.Equal(9, snapshot.TransactionVersion($"writer-{w}")));
    }

    [Fact]
    public async Task SameApplication_OlderBatchLosingTheRace_IsAConflict()
    {
        var (table, _) = await TestTables.CreateAsync();
        var read = await table.GetSnapshotAsync();
        var first = table.StartTransaction(read).Add(TestTables.File("2025-03-01")).SetApplicationTransaction("q", 4);
        var second = table.StartTransaction(read).Add(TestTables.File("2025-03-01")).SetApplicationTransaction("q", 5);
        await first.CommitAsync();
        var e = await Assert.ThrowsAsync<ConcurrentApplicationException>(() => second.CommitAsync());
        Assert.Contains("two instances of one stream", e.Message, StringComparison.Ordinal);

        var replay = table.StartTransaction(read).Add(TestTables.File("2025-03-01")).SetApplicationTransaction("q", 3);
        Assert.True((await replay.CommitAsync()).AlreadyCommitted);
        Assert.Equal(1, (await table.GetSnapshotAsync()).FileCount);
    }

    [Fact]
    public async Task MetadataChangedByAWinner_FailsTheLoser()
    {
        var (table, _) = await TestTables.CreateAsync();
        var read = await table.GetSnapshotAsync();
        var evolved = new StructType([.. TestTables.Schema.Fields, new StructField("extra", PrimitiveType.String)]);
        await table.StartTransaction(read).UpdateMetadata(read.Metadata with { SchemaString = evolved.ToJson() }).CommitAsync();
        await Assert.ThrowsAsync<ConcurrentModificationException>(() => table.StartTransaction(read).Add(TestTables.File("2025-03-01")).CommitAsync());
    }

    [Fact]
    public async Task RemovingAFileSomeoneElseRemoved_IsAConflict()
    {
        var (table, _) = await TestTables.CreateAsync();
        var file = TestTables.File("2025-03-01");
        await TestTables.AppendAsync(table, file);
        var read = await table.GetSnapshotAsync();
        var live = Assert.Single(read.Files);
        await table.StartTransaction(read).Remove(live, dataChange: true).CommitAsync();
        await Assert.ThrowsAsync<ConcurrentModificationException>(() => table.StartTransaction(read).Remove(live, dataChange: false).CommitAsync());
    }

    [Fact]
    public async Task AppendIntoAPartitionACompactionRead_IsAConflict_ElsewhereItIsNot()
    {
        var (table, _) = await TestTables.CreateAsync();
        await TestTables.AppendAsync(table, TestTables.File("2025-03-01"), TestTables.File("2025-03-02"));
        var read = await table.GetSnapshotAsync();
        await TestTables.AppendAsync(table, TestTables.File("2025-03-02"));

        var day1 = read.Files.Single(f => f.PartitionValues["day"] == "2025-03-01");
        var ok = table.StartTransaction(read).ReadsPartitions(p => p["day"] == "2025-03-01").Remove(day1, false).Add(TestTables.File("2025-03-01") with { DataChange = false });
        Assert.Equal(3, (await ok.CommitAsync()).Version);

        var read2 = await table.GetSnapshotAsync(2);
        var day2 = read2.Files.First(f => f.PartitionValues["day"] == "2025-03-02");
        var bad = table.StartTransaction(read2).ReadsPartitions(p => p["day"] == "2025-03-02").Remove(day2, false);
        await TestTables.AppendAsync(table, TestTables.File("2025-03-02"));
        await Assert.ThrowsAsync<ConcurrentModificationException>(() => bad.CommitAsync());
    }

    [Fact]
    public async Task SchemaEvolution_AppendsNullableColumnsOnly()
    {
        var (table, _) = await TestTables.CreateAsync();
        var read = await table.GetSnapshotAsync();
        var plusNullable = new StructType([.. TestTables.Schema.Fields, new StructField("extra", PrimitiveType.Double)]);
        var plusRequired = new StructType([.. TestTables.Schema.Fields, new StructField("extra", PrimitiveType.Double, Nullable: false)]);
        var retyped = new StructType([new StructField("id", PrimitiveType.String), .. TestTables.Schema.Fields.Skip(1)]);
        Assert.Throws<DeltaSchemaException>(() => table.StartTransaction(read).UpdateMetadata(read.Metadata with { SchemaString = plusRequired.ToJson() }));
        Assert.Throws<DeltaSchemaException>(() => table.StartTransaction(read).UpdateMetadata(read.Metadata with { SchemaString = retyped.ToJson() }));
        Assert.Throws<ArgumentException>(() => table.StartTransaction(read).UpdateMetadata(read.Metadata with { Id = Guid.NewGuid().ToString() }));

        await table.StartTransaction(read).UpdateMetadata(read.Metadata with { SchemaString = plusNullable.ToJson() }).Add(TestTables.File("2025-03-01")).CommitAsync();
        var after = await table.GetSnapshotAsync();
        Assert.Equal(plusNullable, after.Schema);
        Assert.Equal(read.Metadata.Id, after.Metadata.Id);
        Assert.Equal(TestTables.Schema, (await table.GetSnapshotAsync(0)).Schema);
    }

    [Fact]
    public async Task AppendOnlyTable_RefusesDataRemoval()
    {
        var (table, _) = await TestTables.CreateAsync(new Dictionary<string, string> { ["delta.appendOnly"] = "true" });
        await TestTables.AppendAsync(table, TestTables.File("2025-03-01"));
        var read = await table.GetSnapshotAsync();
        await Assert.ThrowsAsync<DeltaFormatException>(() => table.StartTransaction(read).Remove(read.Files.Single(), dataChange: true).CommitAsync());
    }

    [Fact]
    public async Task NewerProtocol_IsRefusedForReadAndWrite()
    {
        var store = new InMemoryObjectStore();
        var metadata = new MetadataAction("id", TestTables.Schema.ToJson(), [], new Dictionary<string, string>());
        await store.PutIfAbsentAsync("_delta_log/00000000000000000000.json", ActionSerializer.Serialize([new ProtocolAction(3, 7, ["deletionVectors"], ["deletionVectors"]), metadata]));
        var e = await Assert.ThrowsAsync<DeltaFormatException>(() => DeltaTable.Open(store).GetSnapshotAsync());
        Assert.Contains("deletionVectors", e.Message, StringComparison.Ordinal);

        var store2 = new InMemoryObjectStore();
        await store2.PutIfAbsentAsync("_delta_log/00000000000000000000.json", ActionSerializer.Serialize([new ProtocolAction(1, 4), metadata]));
        var table2 = DeltaTable.Open(store2);
        var read = await table2.GetSnapshotAsync();
        await Assert.ThrowsAsync<DeltaFormatException>(() => table2.StartTransaction(read).Add(TestTables.File("x") with { PartitionValues = new Dictionary<string, string?>() }).CommitAsync());
    }

    [Fact]
    public async Task PartitionValues_MustNameExactlyThePartitionColumns()
    {
        var (table, _) = await TestTables.CreateAsync();
        var read = await table.GetSnapshotAsync();
        var bad = TestTables.File("2025-03-01") with { PartitionValues = new Dictionary<string, string?> { ["name"] = "x" } };
        await Assert.ThrowsAsync<ArgumentException>(() => table.StartTransaction(read).Add(bad).CommitAsync());
    }

    [Theory]
    [InlineData("2025-3-1")]
    [InlineData("yesterday")]
    public async Task PartitionValues_ThatDoNotParseAsTheColumnType_AreRefused(string day)
    {
        var (table, _) = await TestTables.CreateAsync();
        var read = await table.GetSnapshotAsync();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => table.StartTransaction(read).Add(TestTables.File(day)).CommitAsync());
        Assert.Contains(day, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await table.GetSnapshotAsync()).Version);
    }

    [Fact]
    public void RetentionProperty_ThatOverflows_IsAClearTableError()
    {
        var e = Assert.Throws<DeltaFormatException>(() => DeltaIntervals.Property(SnapshotWith("delta.deletedFileRetentionDuration", "interval 99999999999 weeks"), "delta.deletedFileRetentionDuration", TimeSpan.Zero));
        Assert.Contains("99999999999", e.Message, StringComparison.Ordinal);
    }

    private static Snapshot SnapshotWith(string key, string value)
    {
        var store = new InMemoryObjectStore();
        var table = DeltaTable.Open(store, "t");
        table.CreateIfAbsentAsync(TestTables.Schema, ["day"], new Dictionary<string, string> { [key] = value }).GetAwaiter().GetResult();
        return table.GetSnapshotAsync().GetAwaiter().GetResult();
    }

    [Fact]
    public async Task MissingVersions_AndMissingTable_FailClearly()
    {
        await Assert.ThrowsAsync<DeltaTableNotFoundException>(() => DeltaTable.Open(new InMemoryObjectStore()).GetSnapshotAsync());
        var (table, store) = await TestTables.CreateAsync();
        await TestTables.AppendAsync(table, TestTables.File("2025-03-01"));
        await TestTables.AppendAsync(table, TestTables.File("2025-03-01"));
        await store.DeleteAsync("_delta_log/00000000000000000001.json");
        var e = await Assert.ThrowsAsync<DeltaFormatException>(() => DeltaTable.Open(store, "t").GetSnapshotAsync());
        Assert.Contains("missing commit 1", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DeltaVersionNotFoundException>(() => DeltaTable.Open(store, "t").GetSnapshotAsync(9));
    }

    [Fact]
    public async Task History_ListsCommitsNewestFirst()
    {
        var (table, _) = await TestTables.CreateAsync();
        var txn = table.StartTransaction(await table.GetSnapshotAsync());
        txn.Operation = "STREAMING UPDATE";
        await txn.WithParameter("epochId", "3").Add(TestTables.File("2025-03-01", size: 42)).SetApplicationTransaction("q", 3).CommitAsync();
        var history = await table.HistoryAsync();
        Assert.Equal([1L, 0L], history.Select(h => h.Version));
        Assert.Equal("STREAMING UPDATE", history[0].Operation);
        Assert.Equal("3", (string?)history[0].OperationParameters!["epochId"]);
        Assert.Equal(42, history[0].BytesAdded);
        Assert.Equal(3, history[0].Transaction!.Version);
        Assert.Equal("CREATE TABLE", history[1].Operation);
    }

    [Fact]
    public async Task SymlinkManifests_AreRewrittenAfterEveryCommitWhenTheTableKeepsThem()
    {
        var (table, store) = await TestTables.CreateAsync(new Dictionary<string, string> { ["delta.compatibility.symlinkFormatManifest.enabled"] = "true" });
        var a = TestTables.File("2025-03-01");
        await TestTables.AppendAsync(table, a, TestTables.File("2025-03-02"));
        await TestTables.AppendAsync(table, TestTables.File("2025-03-01"));
        var key = Clickstream.Delta.Maintenance.SymlinkManifest.ManifestKey(["day"], new Dictionary<string, string?> { ["day"] = "2025-03-01" });
        var lines = Encoding.UTF8.GetString((await store.ReadAsync(key))!).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(store.Locate(DeltaPaths.KeyOf(a.Path)), lines);

        var read = await table.GetSnapshotAsync();
        var txn = table.StartTransaction(read);
        foreach (var f in read.Files.Where(f => f.PartitionValues["day"] == "2025-03-01"))
        {
            txn.Remove(f, dataChange: true);
        }

        Assert.Null((await txn.CommitAsync()).PostCommitFailure);
        Assert.Null(await store.ReadAsync(key));
        Assert.NotNull(await store.ReadAsync(Clickstream.Delta.Maintenance.SymlinkManifest.ManifestKey(["day"], new Dictionary<string, string?> { ["day"] = "2025-03-02" })));
    }

    [Fact]
    public async Task CommitInfo_KeepsEveryParameterAsAString()
    {
        var (table, store) = await TestTables.CreateAsync();
        await TestTables.AppendAsync(table, TestTables.File("2025-03-01"));
        var line = Encoding.UTF8.GetString((await store.ReadAsync("_delta_log/00000000000000000001.json"))!).Split('\n')[0];
        using var doc = JsonDocument.Parse(line);
        var info = doc.RootElement.GetProperty("commitInfo");
        Assert.All(info.GetProperty("operationParameters").EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        Assert.All(info.GetProperty("operationMetrics").EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        Assert.Equal(0, info.GetProperty("readVersion").GetInt64());
        Assert.True(info.GetProperty("isBlindAppend").GetBoolean());
    }
}
