using System.Text;
using System.Text.Json;
using Clickstream.Delta.Log;
using Clickstream.Delta.Table;

namespace Clickstream.Delta.Tests.Table;

public sealed class CheckpointTests
{
    [Fact]
    public async Task TwentyFiveCommits_CheckpointEveryTen_SnapshotEqualsFullReplay()
    {
        var (table, store) = await TestTables.CreateAsync();
        for (var i = 1; i <= 25; i++)
        {
            var read = await table.GetSnapshotAsync();
            var txn = table.StartTransaction(read).Add(TestTables.File($"2025-03-{1 + (i % 3):D2}")).SetApplicationTransaction("q", i);
            if (i % 4 == 0)
            {
                txn.Remove(read.Files.First(), dataChange: true);
            }

            await txn.CommitAsync();
        }

        var keys = (await store.ListAsync("_delta_log/")).Select(o => o.Key).ToList();
        Assert.Contains("_delta_log/00000000000000000010.checkpoint.parquet", keys);
        Assert.Contains("_delta_log/00000000000000000020.checkpoint.parquet", keys);
        Assert.DoesNotContain("_delta_log/00000000000000000025.checkpoint.parquet", keys);

        using var last = JsonDocument.Parse((await store.ReadAsync("_delta_log/_last_checkpoint"))!);
        Assert.Equal(20, last.RootElement.GetProperty("version").GetInt64());
        Assert.False(last.RootElement.TryGetProperty("parts", out _));
        var atTwenty = await DeltaTable.Open(store, "t").GetSnapshotAsync(20);
        Assert.Equal(atTwenty.FileCount, last.RootElement.GetProperty("numOfAddFiles").GetInt32());
        Assert.Equal(Checkpoints.CheckpointActions(atTwenty, DateTimeOffset.UtcNow).Count, last.RootElement.GetProperty("size").GetInt32());

        // A fresh reader starts from checkpoint 20; a reader without checkpoints replays all 25 commits.
        var fromCheckpoint = await DeltaTable.Open(store, "t").GetSnapshotAsync();
        Assert.Equal(20, fromCheckpoint.CheckpointVersion);
        var replayOnly = new Clickstream.Delta.Storage.InMemoryObjectStore();
        foreach (var o in (await store.ListAsync("_delta_log/")).Where(o => o.Key.EndsWith(".json", StringComparison.Ordinal)))
        {
            await replayOnly.PutAsync(o.Key, (await store.ReadAsync(o.Key))!);
        }

        var replayed = await DeltaTable.Open(replayOnly, "r").GetSnapshotAsync();
        Assert.Null(replayed.CheckpointVersion);
        Assert.Equal(25, fromCheckpoint.Version);
        Assert.Equal(replayed.FilesByKey.Keys.Order(), fromCheckpoint.FilesByKey.Keys.Order());
        Assert.Equal(replayed.FilesByKey.Values.Select(Describe).Order(), fromCheckpoint.FilesByKey.Values.Select(Describe).Order());
        Assert.Equal(replayed.Metadata.SchemaString, fromCheckpoint.Metadata.SchemaString);
        Assert.Equal(25, fromCheckpoint.TransactionVersion("q"));
        Assert.Equal(replayed.TombstonesByKey.Keys.Order(), fromCheckpoint.TombstonesByKey.Keys.Order());
    }

    [Fact]
    public async Task CheckpointInterval_IsATableProperty()
    {
        var (table, store) = await TestTables.CreateAsync(new Dictionary<string, string> { ["delta.checkpointInterval"] = "3" });
        for (var i = 0; i < 7; i++)
        {
            await TestTables.AppendAsync(table, TestTables.File("2025-03-01"));
        }

        var checkpoints = (await store.ListAsync("_delta_log/")).Select(o => o.Key).Where(k => k.Contains(".checkpoint.", StringComparison.Ordinal));
        Assert.Equal(["_delta_log/00000000000000000003.checkpoint.parquet", "_delta_log/00000000000000000006.checkpoint.parquet"], checkpoints);
    }

    [Fact]
    public async Task Checkpoint_DropsExpiredTombstonesAndKeepsRecentOnes()
    {
        var (table, _) = await TestTables.CreateAsync();
        var old = TestTables.File("2025-03-01");
        var recent = TestTables.File("2025-03-01");
        await TestTables.AppendAsync(table, old, recent);
        var read = await table.GetSnapshotAsync();
        var now = DateTimeOffset.UtcNow;
        await table.StartTransaction(read)
            .Remove(read.FilesByKey[DeltaPaths.FromUriPath(old.Path)], true, now.AddDays(-8).ToUnixTimeMilliseconds())
            .Remove(read.FilesByKey[DeltaPaths.FromUriPath(recent.Path)], true, now.AddDays(-6).ToUnixTimeMilliseconds())
            .CommitAsync();
        var actions = Checkpoints.CheckpointActions(await table.GetSnapshotAsync(), now);
        var tombstone = Assert.Single(actions.OfType<RemoveAction>());
        Assert.Equal(recent.Path, tombstone.Path);
        Assert.Single(actions.OfType<ProtocolAction>());
        Assert.Single(actions.OfType<MetadataAction>());
        Assert.DoesNotContain(actions, a => a is CommitInfoAction);
    }

    [Fact]
    public async Task LogCleanup_KeepsTheNewestOldCheckpointAndEverythingAfter()
    {
        var (table, store) = await TestTables.CreateAsync(new Dictionary<string, string> { ["delta.checkpointInterval"] = "5" });
        for (var i = 0; i < 12; i++)
        {
            await TestTables.AppendAsync(table, TestTables.File("2025-03-01"));
        }

        // Age everything up to version 5 (including its checkpoint) past the 30-day retention.
        var longAgo = DateTimeOffset.UtcNow.AddDays(-40);
        foreach (var o in await store.ListAsync("_delta_log/"))
        {
            if (o.Key.CompareTo("_delta_log/00000000000000000006") < 0)
            {
                store.Touch(o.Key, longAgo);
            }
        }

        var snapshot = await table.GetSnapshotAsync();
        var deleted = await Checkpoints.CleanUpLogAsync(table, snapshot, DateTimeOffset.UtcNow);
        Assert.Equal(5, deleted); // commits 0..4
        var keys = (await store.ListAsync("_delta_log/")).Select(o => o.Key).ToList();
        Assert.DoesNotContain("_delta_log/00000000000000000004.json", keys);
        Assert.Contains("_delta_log/00000000000000000005.json", keys);
        Assert.Contains("_delta_log/00000000000000000005.checkpoint.parquet", keys);

        var reopened = await DeltaTable.Open(store, "t").GetSnapshotAsync();
        Assert.Equal(12, reopened.FileCount);
        await Assert.ThrowsAsync<DeltaFormatException>(() => DeltaTable.Open(store, "t").GetSnapshotAsync(3));
    }

    [Fact]
    public async Task LastCheckpoint_IsOnlyAHint()
    {
        var (table, store) = await TestTables.CreateAsync();
        for (var i = 0; i < 11; i++)
        {
            await TestTables.AppendAsync(table, TestTables.File("2025-03-01"));
        }

        await store.PutAsync("_delta_log/_last_checkpoint", Encoding.UTF8.GetBytes("{not json"));
        Assert.Equal(11, (await DeltaTable.Open(store, "t").GetSnapshotAsync()).FileCount);
        await store.PutAsync("_delta_log/_last_checkpoint", Array.Empty<byte>());
        Assert.Equal(11, (await DeltaTable.Open(store, "t").GetSnapshotAsync()).FileCount);
        await store.DeleteAsync("_delta_log/_last_checkpoint");
        Assert.Equal(11, (await DeltaTable.Open(store, "t").GetSnapshotAsync()).FileCount);
    }

    private static string Describe(AddAction a) => $"{a.Path}|{a.Size}|{a.ModificationTime}|{a.DataChange}|{a.Stats}|{string.Join(",", a.PartitionValues.Select(kv => kv.Key + "=" + kv.Value))}";
}
