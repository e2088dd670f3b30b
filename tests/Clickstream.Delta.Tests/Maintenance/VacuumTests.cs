using Clickstream.Delta.Maintenance;
using Clickstream.Delta.Storage;
using Clickstream.Delta.Table;

namespace Clickstream.Delta.Tests.Maintenance;

public sealed class VacuumTests : IDisposable
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "delta-vacuum-" + Guid.NewGuid().ToString("N"));
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>
    /// A table with every kind of object, all modified 30 days ago unless said otherwise: a live file, a file removed
    /// 10 days ago (tombstone expired), one removed a day ago (tombstone in force), an old orphan, a young orphan,
    /// old log, manifest, hidden and temporary files.
    /// </summary>
    private async Task<(DeltaTable Table, InMemoryObjectStore Store, Layout Keys)> ScenarioAsync()
    {
        var store = new InMemoryObjectStore();
        var table = await MaintenanceTables.CreateAsync(store);
        var files = await MaintenanceTables.AppendAsync(table, "2025-03-01", "2025-03-01", "2025-03-02");
        await MaintenanceTables.RemoveAsync(table, _now - TimeSpan.FromDays(10), files[1]);
        await MaintenanceTables.RemoveAsync(table, _now - TimeSpan.FromDays(1), files[2]);
        await SymlinkManifest.GenerateAsync(table, await table.GetSnapshotAsync());
        var keys = new Layout(
            Live: MaintenanceTables.KeyOf(files[0]),
            ExpiredTombstone: MaintenanceTables.KeyOf(files[1]),
            RecentTombstone: MaintenanceTables.KeyOf(files[2]),
            OldOrphan: "event_date=2025-03-01/part-00000-orphan-c000.snappy.parquet",
            YoungOrphan: "event_date=2025-03-02/part-00001-orphan-c000.snappy.parquet",
            RootOrphan: "stray.parquet");
        await store.PutAsync(keys.OldOrphan, new byte[40]);
        await store.PutAsync(keys.YoungOrphan, new byte[50]);
        await store.PutAsync(keys.RootOrphan, new byte[60]);
        await store.PutAsync("event_date=2025-03-01/.part-00000-orphan-c000.snappy.parquet.crc", new byte[8]);
        await store.PutAsync(".hidden/old.parquet", new byte[8]);
        await store.PutAsync("_other/old.parquet", new byte[8]);
        foreach (var o in await store.ListAsync(""))
        {
            if (o.Key != keys.YoungOrphan)
            {
                store.Touch(o.Key, _now - TimeSpan.FromDays(30));
            }
        }

        return (table, store, keys);
    }

    private sealed record Layout(string Live, string ExpiredTombstone, string RecentTombstone, string OldOrphan, string YoungOrphan, string RootOrphan);

    [Fact]
    public async Task RunAsync_DeletesOldOrphansAndExpiredTombstones_KeepsEverythingElse()
    {
        var (table, store, keys) = await ScenarioAsync();
        var before = (await store.ListAsync("")).Select(o => o.Key).ToHashSet();

        var result = await Vacuum.RunAsync(table, Week, dryRun: false, _now);

        string[] expected = [keys.ExpiredTombstone, keys.OldOrphan, keys.RootOrphan];
        Assert.Equal(expected.Order(StringComparer.Ordinal), result.Files.Select(f => f.Key));
        Assert.False(result.DryRun);
        Assert.Equal(3, result.Count);
        Assert.Equal(100 + 40 + 60, result.Bytes);
        Assert.Equal(6, result.FilesScanned);
        var after = (await store.ListAsync("")).Select(o => o.Key).ToHashSet();
        Assert.Equal(before.Except(expected).ToHashSet(), after);
        Assert.Contains(keys.Live, after);
        Assert.Contains(keys.RecentTombstone, after);
        Assert.Contains(keys.YoungOrphan, after);
        Assert.Contains("_delta_log/00000000000000000000.json", after);
        Assert.Contains("_symlink_format_manifest/event_date=2025-03-01/manifest", after);

        // The table still reads, and a second run finds nothing more.
        Assert.Equal(1, (await table.GetSnapshotAsync()).FileCount);
        Assert.Equal(0, (await Vacuum.RunAsync(table, Week, dryRun: false, _now)).Count);
    }

    [Fact]
    public async Task RunAsync_DryRun_ListsTheSameFilesAndDeletesNothing()
    {
        var (table, store, keys) = await ScenarioAsync();
        var before = (await store.ListAsync("")).Select(o => o.Key).ToList();

        var result = await Vacuum.RunAsync(table, Week, dryRun: true, _now);

        Assert.True(result.DryRun);
        Assert.Equal(new[] { keys.ExpiredTombstone, keys.OldOrphan, keys.RootOrphan }.Order(StringComparer.Ordinal), result.Files.Select(f => f.Key));
        Assert.Equal(200, result.Bytes);
        Assert.Equal(before, (await store.ListAsync("")).Select(o => o.Key));
    }

    [Fact]
    public async Task RunAsync_RetentionShorterThanTheTables_IsRefusedWithoutForce()
    {
        var (table, store, keys) = await ScenarioAsync();
        var count = store.Count;

        var e = await Assert.ThrowsAsync<UnsafeRetentionException>(() => Vacuum.RunAsync(table, TimeSpan.FromHours(12), dryRun: false, _now));

        Assert.Contains("delta.deletedFileRetentionDuration", e.Message, StringComparison.Ordinal);
        Assert.Contains("retention of 12 hours", e.Message, StringComparison.Ordinal);
        Assert.Contains("168 hours", e.Message, StringComparison.Ordinal);
        Assert.Equal(count, store.Count);

        // Forced, the tombstone removed a day ago is now old enough too; the young orphan still is not.
        var forced = await Vacuum.RunAsync(table, TimeSpan.FromHours(12), dryRun: false, _now, new VacuumOptions { Force = true });
        Assert.Equal(new[] { keys.ExpiredTombstone, keys.OldOrphan, keys.RecentTombstone, keys.RootOrphan }.Order(StringComparer.Ordinal), forced.Files.Select(f => f.Key));
    }

    [Fact]
    public async Task RunAsync_TablePropertyAllowsAShorterRetention()
    {
        var store = new InMemoryObjectStore();
        var table = await MaintenanceTables.CreateAsync(store, new Dictionary<string, string> { [Vacuum.RetentionProperty] = "interval 1 hour" });
        var files = await MaintenanceTables.AppendAsync(table, "2025-03-01", "2025-03-01");
        await MaintenanceTables.RemoveAsync(table, _now - TimeSpan.FromHours(3), files[0]);
        store.Touch(MaintenanceTables.KeyOf(files[0]), _now - TimeSpan.FromHours(3));

        var result = await Vacuum.RunAsync(table, TimeSpan.FromHours(2), dryRun: false, _now);

        Assert.Equal([MaintenanceTables.KeyOf(files[0])], result.Files.Select(f => f.Key));
        await Assert.ThrowsAsync<UnsafeRetentionException>(() => Vacuum.RunAsync(table, TimeSpan.FromMinutes(30), dryRun: true, _now));
    }

    [Fact]
    public async Task RunAsync_ReportsProgress()
    {
        var (table, _, _) = await ScenarioAsync();
        var lines = new List<string>();

        await Vacuum.RunAsync(table, Week, dryRun: false, _now, new VacuumOptions { Progress = new ListProgress(lines) });

        Assert.Contains(lines, l => l.Contains("3 (200 bytes) unreferenced", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("deleted 3 of 3 files", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_LocalTable_DeletesFromDiskAndKeepsTheLog()
    {
        var store = new LocalObjectStore(_root);
        var table = await MaintenanceTables.CreateAsync(store);
        var files = await MaintenanceTables.AppendAsync(table, "2025-03-01", "2025-03-02");
        await MaintenanceTables.RemoveAsync(table, _now - TimeSpan.FromDays(8), files[1]);
        var orphan = Path.Combine(_root, "event_date=2025-03-01", "part-00009-orphan-c000.snappy.parquet");
        await File.WriteAllBytesAsync(orphan, new byte[7]);
        var youngOrphan = Path.Combine(_root, "event_date=2025-03-01", "part-00010-orphan-c000.snappy.parquet");
        await File.WriteAllBytesAsync(youngOrphan, new byte[7]);
        foreach (var path in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Where(p => p != youngOrphan))
        {
            File.SetLastWriteTimeUtc(path, (_now - TimeSpan.FromDays(20)).UtcDateTime);
        }

        var result = await Vacuum.RunAsync(table, Week, dryRun: false, _now);

        Assert.Equal(2, result.Count);
        Assert.False(File.Exists(orphan));
        Assert.False(File.Exists(Path.Combine(_root, MaintenanceTables.KeyOf(files[1]))));
        Assert.False(Directory.Exists(Path.Combine(_root, "event_date=2025-03-02")));
        Assert.True(File.Exists(youngOrphan));
        Assert.True(File.Exists(Path.Combine(_root, MaintenanceTables.KeyOf(files[0]))));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(_root, "_delta_log")).Length);
        Assert.Equal(1, (await DeltaTable.OpenLocal(_root).GetSnapshotAsync()).FileCount);
    }

    [Fact]
    public async Task RunAsync_RetentionLongerThanAllTime_DeletesNothing()
    {
        var (table, _, _) = await ScenarioAsync();

        var result = await Vacuum.RunAsync(table, TimeSpan.MaxValue, dryRun: false, _now);

        Assert.Equal(0, result.Count);
        Assert.Equal(DateTimeOffset.MinValue, result.Cutoff);
    }

    [Fact]
    public async Task RunAsync_NegativeRetention_IsAnArgumentError()
    {
        var table = await MaintenanceTables.CreateAsync(new InMemoryObjectStore());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Vacuum.RunAsync(table, TimeSpan.FromHours(-1), dryRun: true, _now));
    }

    [Theory]
    [InlineData("event_date=2025-03-01/part-0.parquet", false)]
    [InlineData("part-0.parquet", false)]
    [InlineData("_delta_log/00000000000000000000.json", true)]
    [InlineData("_symlink_format_manifest/event_date=2025-03-01/manifest", true)]
    [InlineData("event_date=2025-03-01/.part-0.parquet.crc", true)]
    [InlineData(".tmp/part-0.parquet", true)]
    [InlineData("event_date=2025-03-01/_started_123", true)]
    [InlineData("_p=1/part-0.parquet", false)]
    [InlineData("_q=1/part-0.parquet", true)]
    public void IsHidden_UnderscoreAndDotSegmentsExceptPartitionDirectories(string key, bool hidden) =>
        Assert.Equal(hidden, TableFiles.IsHidden(key, ["event_date", "_p"]));

    private sealed class ListProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
