using System.Text;
using System.Text.Json.Nodes;
using Clickstream.Delta.Maintenance;
using Clickstream.Delta.Storage;
using Clickstream.Delta.Table;

namespace Clickstream.Delta.Tests.Maintenance;

public sealed class RetentionTests
{
    // Today is 2025-01-12 (UTC); keeping 5 days puts the cutoff at 2025-01-07.
    private static readonly DateTimeOffset Now = new(2025, 1, 12, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_RemovesTheOldDaysInOneDeleteCommit()
    {
        var store = new InMemoryObjectStore();
        var table = await MaintenanceTables.CreateAsync(store);
        var files = await MaintenanceTables.AppendAsync(table, "2025-01-01", "2025-01-06", "2025-01-06", "2025-01-07", "2025-01-12", null);

        var result = await Retention.RunAsync(table, 5, Now);

        Assert.Equal(2, result.Version);
        Assert.Equal(new DateOnly(2025, 1, 7), result.Cutoff);
        Assert.Equal(3, result.FilesRemoved);
        Assert.Equal(300, result.BytesRemoved);
        Assert.Equal(30, result.RecordsRemoved);
        Assert.Equal([new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 6)], result.Dates);
        Assert.Null(result.Manifests);

        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(2, snapshot.Version);
        Assert.Equal(new[] { files[3], files[4], files[5] }.Select(f => f.Path).Order(StringComparer.Ordinal), snapshot.Files.Select(f => f.Path));

        var lines = await CommitLinesAsync(store, 2);
        var info = lines[0]["commitInfo"]!.AsObject();
        Assert.Equal("DELETE", (string?)info["operation"]);
        Assert.Equal("[\"(event_date < '2025-01-07')\"]", (string?)info["operationParameters"]!["predicate"]);
        Assert.Equal("3", (string?)info["operationMetrics"]!["numRemovedFiles"]);
        Assert.Equal("30", (string?)info["operationMetrics"]!["numDeletedRows"]);
        Assert.False((bool)info["isBlindAppend"]!);

        var removes = lines.Where(l => l["remove"] is not null).Select(l => l["remove"]!.AsObject()).ToList();
        Assert.Equal(new[] { files[0], files[1], files[2] }.Select(f => f.Path).Order(StringComparer.Ordinal), removes.Select(r => (string)r["path"]!).Order(StringComparer.Ordinal));
        Assert.All(removes, r =>
        {
            Assert.True((bool)r["dataChange"]!);
            Assert.True((bool)r["extendedFileMetadata"]!);
            Assert.Equal(Now.ToUnixTimeMilliseconds(), (long)r["deletionTimestamp"]!);
            Assert.Equal(100, (long)r["size"]!);
            Assert.StartsWith("2025-01-0", (string)r["partitionValues"]!["event_date"]!, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(lines, l => l["add"] is not null);
    }

    [Fact]
    public async Task RunAsync_NothingOldEnough_CommitsNothing()
    {
        var table = await MaintenanceTables.CreateAsync(new InMemoryObjectStore());
        await MaintenanceTables.AppendAsync(table, "2025-01-07", "2025-01-12");

        var result = await Retention.RunAsync(table, 5, Now);

        Assert.Null(result.Version);
        Assert.Equal(0, result.FilesRemoved);
        Assert.Empty(result.Dates);
        Assert.Equal(1, (await table.GetSnapshotAsync()).Version);
    }

    [Fact]
    public async Task RunAsync_RetentionLongerThanTheCalendar_RemovesNothing()
    {
        var table = await MaintenanceTables.CreateAsync(new InMemoryObjectStore());
        await MaintenanceTables.AppendAsync(table, "0001-01-01", "2025-01-01");

        var result = await Retention.RunAsync(table, int.MaxValue, Now);

        Assert.Null(result.Version);
        Assert.Equal(DateOnly.MinValue, result.Cutoff);
    }

    [Fact]
    public async Task RunAsync_FilesWithoutStats_RecordCountUnknown()
    {
        var store = new InMemoryObjectStore();
        var table = await MaintenanceTables.CreateAsync(store);
        var file = await MaintenanceTables.WriteFileAsync(store, "2024-12-01", records: null);
        await table.StartTransaction(await table.GetSnapshotAsync()).Add(file).CommitAsync();

        var result = await Retention.RunAsync(table, 5, Now);

        Assert.Equal(1, result.FilesRemoved);
        Assert.Null(result.RecordsRemoved);
    }

    [Fact]
    public async Task RunAsync_AppendOnlyTable_IsRefused()
    {
        var table = await MaintenanceTables.CreateAsync(new InMemoryObjectStore(), new Dictionary<string, string> { ["delta.appendOnly"] = "true" });
        await MaintenanceTables.AppendAsync(table, "2025-01-01");

        var e = await Assert.ThrowsAsync<DeltaFormatException>(() => Retention.RunAsync(table, 5, Now));

        Assert.Contains("append-only", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await table.GetSnapshotAsync()).Version);
    }

    [Fact]
    public async Task RunAsync_TableWithoutDatePartition_IsRefused()
    {
        var table = DeltaTable.Open(new InMemoryObjectStore(), "bystring");
        await table.CreateIfAbsentAsync(MaintenanceTables.Schema, ["name"]);

        var e = await Assert.ThrowsAsync<DeltaFormatException>(() => Retention.RunAsync(table, 5, Now));

        Assert.Contains("partitioned by a date column", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ConcurrentAppendToAnExpiredDay_FailsWithoutCommitting()
    {
        var memory = new InMemoryObjectStore();
        var store = new HookedObjectStore(memory);
        var table = await MaintenanceTables.CreateAsync(store);
        await MaintenanceTables.AppendAsync(table, "2025-01-01", "2025-01-10");
        store.BeforeCreating(DeltaPaths.CommitKey(2), () => MaintenanceTables.AppendAsync(DeltaTable.Open(memory, "other"), "2025-01-01"));

        var e = await Assert.ThrowsAsync<ConcurrentModificationException>(() => Retention.RunAsync(table, 5, Now));

        Assert.Contains("concurrent append", e.Message, StringComparison.Ordinal);
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(2, snapshot.Version);
        Assert.Equal(3, snapshot.FileCount);
    }

    [Fact]
    public async Task RunAsync_ConcurrentAppendToAKeptDay_StillCommits()
    {
        var memory = new InMemoryObjectStore();
        var store = new HookedObjectStore(memory);
        var table = await MaintenanceTables.CreateAsync(store);
        await MaintenanceTables.AppendAsync(table, "2025-01-01", "2025-01-10");
        store.BeforeCreating(DeltaPaths.CommitKey(2), () => MaintenanceTables.AppendAsync(DeltaTable.Open(memory, "other"), "2025-01-12"));

        var result = await Retention.RunAsync(table, 5, Now);

        Assert.Equal(3, result.Version);
        Assert.Equal(2, (await table.GetSnapshotAsync()).FileCount);
    }

    [Fact]
    public async Task RunAsync_WithManifestsOn_DeletesTheManifestsOfRemovedDays()
    {
        var store = new InMemoryObjectStore();
        var table = await MaintenanceTables.CreateAsync(store, new Dictionary<string, string> { [SymlinkManifest.EnabledProperty] = "true" });
        await MaintenanceTables.AppendAsync(table, "2025-01-01", "2025-01-02", "2025-01-10");
        await SymlinkManifest.GenerateAsync(table, await table.GetSnapshotAsync());

        var result = await Retention.RunAsync(table, 5, Now);

        Assert.NotNull(result.Manifests);
        Assert.Equal(["_symlink_format_manifest/event_date=2025-01-01/manifest", "_symlink_format_manifest/event_date=2025-01-02/manifest"], result.Manifests.Deleted);
        Assert.Equal(["_symlink_format_manifest/event_date=2025-01-10/manifest"], (await store.ListAsync(SymlinkManifest.Folder)).Select(o => o.Key));
    }

    private static async Task<List<JsonObject>> CommitLinesAsync(IObjectStore store, long version)
    {
        var text = Encoding.UTF8.GetString((await store.ReadAsync(DeltaPaths.CommitKey(version)))!);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
    }
}
