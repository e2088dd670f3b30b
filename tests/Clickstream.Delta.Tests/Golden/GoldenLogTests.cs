using Clickstream.Delta.Log;
using Clickstream.Delta.Table;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Tests.Golden;

/// <summary>Snapshots of the golden tables, from their logs alone (several point at files that were never written).</summary>
public sealed class GoldenLogTests
{
    [Fact]
    public async Task Checkpoint_LatestSnapshotHasOnlyFile15()
    {
        var table = GoldenTables.Open("checkpoint");
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(14, snapshot.Version);
        Assert.Equal(10, snapshot.CheckpointVersion);
        Assert.Equal("15", Assert.Single(snapshot.Files).Path);
        Assert.Equal(Enumerable.Range(1, 14).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal), snapshot.TombstonesByKey.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new StructType([new StructField("intCol", PrimitiveType.Integer)]), snapshot.Schema);
        Assert.Equal(10, await Checkpoints.ReadLastCheckpointVersionAsync(table));
    }

    [Fact]
    public async Task Checkpoint_TimeTravelBeforeTheCheckpointReplaysCommits()
    {
        var table = GoldenTables.Open("checkpoint");
        var v5 = await table.GetSnapshotAsync(5);
        Assert.Null(v5.CheckpointVersion);
        Assert.Equal("6", Assert.Single(v5.Files).Path);
        var v12 = await table.GetSnapshotAsync(12);
        Assert.Equal(10, v12.CheckpointVersion);
        Assert.Equal("13", Assert.Single(v12.Files).Path);
    }

    [Fact]
    public async Task DeltaLogGetChanges_TxnVersionAndNoFiles()
    {
        var snapshot = await GoldenTables.Open("deltalog-getChanges").GetSnapshotAsync();
        Assert.Equal(2, snapshot.Version);
        Assert.Equal(0, snapshot.FileCount);
        Assert.Equal(3, snapshot.TransactionVersion("fakeAppId"));
        Assert.Equal(200, snapshot.TransactionsByApp["fakeAppId"].LastUpdated);
        Assert.Null(snapshot.TransactionVersion("someOtherAppId"));
    }

    [Fact]
    public async Task DeleteReAdd_TheLaterAddWins()
    {
        var snapshot = await GoldenTables.Open("delete-re-add-same-file-different-transactions").GetSnapshotAsync();
        Assert.Equal(3, snapshot.Version);
        Assert.Equal(["bar", "foo"], snapshot.Files.Select(f => f.Path));
        Assert.Equal(1700000000000, snapshot.FilesByKey["foo"].ModificationTime);
    }

    [Fact]
    public async Task SpecialCharacters_PathIsDecodedAndRemoved()
    {
        var table = GoldenTables.Open("log-replay-special-characters-a");
        var v0 = await table.GetSnapshotAsync(0);
        Assert.Equal("special p@#h", Assert.Single(v0.FilesByKey.Keys));
        Assert.Equal(0, (await table.GetSnapshotAsync()).FileCount);
    }

    [Fact]
    public async Task SnapshotData2Deleted_FileCountsPerVersion()
    {
        var table = GoldenTables.Open("snapshot-data2-deleted");
        var latest = await table.GetSnapshotAsync();
        Assert.Equal(4, latest.Version);
        Assert.Equal(3, latest.FileCount);
        Assert.Contains(latest.Files, f => f.Path.StartsWith("part-00000-d83dafd8", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MultiPartCheckpoint_IsReadFromBothParts()
    {
        var snapshot = await GoldenTables.Open("multi-part-checkpoint").GetSnapshotAsync();
        Assert.Equal(1, snapshot.Version);
        Assert.Equal(1, snapshot.CheckpointVersion);
        Assert.Equal(10, snapshot.FileCount);
        Assert.Equal("1", snapshot.Property("delta.checkpointInterval"));
    }

    [Fact]
    public async Task BasicWithInsertsDeletesCheckpoint_TombstonesInCheckpoint()
    {
        var table = GoldenTables.Open("basic-with-inserts-deletes-checkpoint");
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(13, snapshot.Version);
        Assert.Equal(10, snapshot.CheckpointVersion);
        Assert.NotEmpty(snapshot.TombstonesByKey);
        Assert.All(snapshot.Files, f => Assert.DoesNotContain(f.Path, snapshot.TombstonesByKey.Keys));
    }

    [Fact]
    public async Task SchemaChange_EachVersionHasItsSchemaAndTheSameTableId()
    {
        var table = GoldenTables.Open("time-travel-schema-changes-b");
        var v0 = await table.GetSnapshotAsync(0);
        var v1 = await table.GetSnapshotAsync(1);
        Assert.Equal(["id"], v0.Schema.Fields.Select(f => f.Name));
        Assert.Equal(["id", "part"], v1.Schema.Fields.Select(f => f.Name));
        Assert.Equal(v0.Metadata.Id, v1.Metadata.Id);
        Assert.Equal(v0.Metadata.CreatedTime, v1.Metadata.CreatedTime);
    }

    [Fact]
    public async Task PartitionValues_NullsAndTheLiteralNullString()
    {
        var snapshot = await GoldenTables.Open("data-reader-partition-values").GetSnapshotAsync();
        Assert.Equal(12, snapshot.PartitionColumns.Count);
        var nullRow = Assert.Single(snapshot.Files, f => f.PartitionValues["as_int"] is null);
        Assert.All(snapshot.PartitionColumns, c => Assert.Null(nullRow.PartitionValues[c]));
        Assert.All(snapshot.Files.Where(f => f.PartitionValues["as_int"] is not null), f => Assert.Equal("null", f.PartitionValues["as_string_lit_null"]));
        Assert.Contains("__HIVE_DEFAULT_PARTITION__", DeltaPaths.FromUriPath(nullRow.Path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EscapedChars_PathsAreDoublyEncodedAndValuesComeFromTheLog()
    {
        var snapshot = await GoldenTables.Open("data-reader-escaped-chars").GetSnapshotAsync();
        Assert.Equal(["bar+%21", "bar+%22", "bar+%23"], snapshot.Files.Select(f => f.PartitionValues["_2"]!).Order(StringComparer.Ordinal));
        Assert.All(snapshot.Files, f => Assert.True(File.Exists(Path.Combine(GoldenTables.PathOf("data-reader-escaped-chars"), DeltaPaths.KeyOf(f.Path)))));
    }

    [Fact]
    public async Task StatsJson_IsKeptVerbatim()
    {
        var snapshot = await GoldenTables.Open("data-skipping-basic-stats-all-types").GetSnapshotAsync();
        var stats = Assert.Single(snapshot.Files).Stats!;
        Assert.Contains("\"as_timestamp\":\"2000-01-01T00:00:00.000-08:00\"", stats, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryGoldenTable_IsProtocolOneTwo()
    {
        foreach (var dir in Directory.GetDirectories(GoldenTables.Root))
        {
            var snapshot = await GoldenTables.Open(Path.GetFileName(dir)).GetSnapshotAsync();
            Assert.Equal(new ProtocolAction(1, 2), snapshot.Protocol with { ReaderFeatures = null, WriterFeatures = null });
        }
    }
}
