using System.Text;
using Clickstream.Delta.Maintenance;
using Clickstream.Delta.Storage;
using Clickstream.Delta.Table;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Tests.Maintenance;

public sealed class SymlinkManifestTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "delta-manifest-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task GenerateAsync_PartitionedTable_OneManifestPerPartitionListingItsLiveFiles()
    {
        var store = new InMemoryObjectStore();
        var table = await MaintenanceTables.CreateAsync(store);
        var first = await MaintenanceTables.AppendAsync(table, "2025-03-01", "2025-03-01", "2025-03-02");
        var second = await MaintenanceTables.AppendAsync(table, "2025-03-02");
        await MaintenanceTables.RemoveAsync(table, DateTimeOffset.UtcNow, first[2]);
        var snapshot = await table.GetSnapshotAsync();

        var result = await SymlinkManifest.GenerateAsync(table, snapshot);

        Assert.Equal(["_symlink_format_manifest/event_date=2025-03-01/manifest", "_symlink_format_manifest/event_date=2025-03-02/manifest"], result.Written);
        Assert.Empty(result.Deleted);
        Assert.Equal(snapshot.Version, result.Version);
        var expectedDay1 = string.Concat(new[] { first[0], first[1] }.Select(f => "memory:///" + MaintenanceTables.KeyOf(f) + "\n").Order(StringComparer.Ordinal));
        Assert.Equal(expectedDay1, await ReadTextAsync(store, result.Written[0]));
        Assert.Equal("memory:///" + MaintenanceTables.KeyOf(second[0]) + "\n", await ReadTextAsync(store, result.Written[1]));
    }

    [Fact]
    public async Task GenerateAsync_PartitionLeftWithoutFiles_DeletesItsManifest()
    {
        var store = new InMemoryObjectStore();
        var table = await MaintenanceTables.CreateAsync(store);
        var files = await MaintenanceTables.AppendAsync(table, "2025-03-01", "2025-03-02");
        await SymlinkManifest.GenerateAsync(table, await table.GetSnapshotAsync());
        await MaintenanceTables.RemoveAsync(table, DateTimeOffset.UtcNow, files[0]);

        var result = await SymlinkManifest.GenerateAsync(table, await table.GetSnapshotAsync());

        Assert.Equal(["_symlink_format_manifest/event_date=2025-03-01/manifest"], result.Deleted);
        Assert.Equal(["_symlink_format_manifest/event_date=2025-03-02/manifest"], (await store.ListAsync(SymlinkManifest.Folder)).Select(o => o.Key));
    }

    [Fact]
    public async Task UpdateAsync_RewritesOnlyTouchedPartitions_AndDeletesEmptiedOnes()
    {
        var store = new InMemoryObjectStore();
        var table = await MaintenanceTables.CreateAsync(store);
        var files = await MaintenanceTables.AppendAsync(table, "2025-03-01", "2025-03-02", "2025-03-03");
        await SymlinkManifest.GenerateAsync(table, await table.GetSnapshotAsync());
        const string Untouched = "_symlink_format_manifest/event_date=2025-03-03/manifest";
        await store.PutAsync(Untouched, "sentinel\n"u8.ToArray());

        await MaintenanceTables.RemoveAsync(table, DateTimeOffset.UtcNow, files[0]);
        var added = await MaintenanceTables.AppendAsync(table, "2025-03-02");
        var snapshot = await table.GetSnapshotAsync();
        var result = await SymlinkManifest.UpdateAsync(table, snapshot, [files[0].PartitionValues, added[0].PartitionValues, added[0].PartitionValues]);

        Assert.Equal(["_symlink_format_manifest/event_date=2025-03-02/manifest"], result.Written);
        Assert.Equal(["_symlink_format_manifest/event_date=2025-03-01/manifest"], result.Deleted);
        Assert.Null(await store.ReadAsync("_symlink_format_manifest/event_date=2025-03-01/manifest"));
        Assert.Equal(2, (await ReadTextAsync(store, result.Written[0])).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("sentinel\n", await ReadTextAsync(store, Untouched));
    }

    [Fact]
    public async Task UpdateAsync_NoPartitions_WritesNothing()
    {
        var store = new InMemoryObjectStore();
        var table = await MaintenanceTables.CreateAsync(store);
        await MaintenanceTables.AppendAsync(table, "2025-03-01");

        var result = await SymlinkManifest.UpdateAsync(table, await table.GetSnapshotAsync(), []);

        Assert.Empty(result.Written);
        Assert.Empty(await store.ListAsync(SymlinkManifest.Folder));
    }

    [Fact]
    public async Task GenerateAsync_UnpartitionedTable_WritesTheSingleManifest_EvenWhenEmpty()
    {
        var store = new InMemoryObjectStore();
        var table = DeltaTable.Open(store, "flat");
        await table.CreateIfAbsentAsync(new StructType([new StructField("id", PrimitiveType.Long)]), []);

        var empty = await SymlinkManifest.GenerateAsync(table, await table.GetSnapshotAsync());
        Assert.Equal(["_symlink_format_manifest/manifest"], empty.Written);
        Assert.Equal("", await ReadTextAsync(store, "_symlink_format_manifest/manifest"));

        await store.PutAsync("part-1.parquet", new byte[10]);
        await table.StartTransaction(await table.GetSnapshotAsync())
            .Add(new Log.AddAction("part-1.parquet", new Dictionary<string, string?>(), 10, 0, true))
            .CommitAsync();
        var update = await SymlinkManifest.UpdateAsync(table, await table.GetSnapshotAsync(), [new Dictionary<string, string?>()]);

        Assert.Equal(["_symlink_format_manifest/manifest"], update.Written);
        Assert.Equal("memory:///part-1.parquet\n", await ReadTextAsync(store, "_symlink_format_manifest/manifest"));
    }

    [Fact]
    public void ManifestKey_EscapesValuesLikeHive_AndNamesNullPartitions()
    {
        string[] columns = ["event_date", "source"];
        Assert.Equal(
            "_symlink_format_manifest/event_date=2025-03-01/source=a%3Ab%2Fc d/manifest",
            SymlinkManifest.ManifestKey(columns, new Dictionary<string, string?> { ["event_date"] = "2025-03-01", ["source"] = "a:b/c d" }));
        Assert.Equal(
            "_symlink_format_manifest/event_date=__HIVE_DEFAULT_PARTITION__/source=__HIVE_DEFAULT_PARTITION__/manifest",
            SymlinkManifest.ManifestKey(columns, new Dictionary<string, string?> { ["event_date"] = null, ["source"] = "" }));
        Assert.Equal("_symlink_format_manifest/manifest", SymlinkManifest.ManifestKey([], new Dictionary<string, string?>()));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    [InlineData(null, false)]
    public async Task IsEnabled_FollowsTheTableProperty(string? value, bool expected)
    {
        var properties = value is null ? null : new Dictionary<string, string> { [SymlinkManifest.EnabledProperty] = value };
        var table = await MaintenanceTables.CreateAsync(new InMemoryObjectStore(), properties);
        Assert.Equal(expected, SymlinkManifest.IsEnabled(await table.GetSnapshotAsync()));
    }

    [Fact]
    public async Task GenerateAsync_LocalTable_ListsAbsolutePathsOfExistingFiles()
    {
        var table = await MaintenanceTables.CreateAsync(new LocalObjectStore(_root));
        var files = await MaintenanceTables.AppendAsync(table, "2025-03-01", "2025-03-01");

        await SymlinkManifest.GenerateAsync(table, await table.GetSnapshotAsync());

        var lines = File.ReadAllLines(Path.Combine(_root, "_symlink_format_manifest", "event_date=2025-03-01", "manifest"));
        Assert.Equal(files.Select(f => Path.Combine(_root, MaintenanceTables.KeyOf(f))).Order(StringComparer.Ordinal), lines);
        Assert.All(lines, line => Assert.True(Path.IsPathRooted(line) && File.Exists(line), line));
    }

    private static async Task<string> ReadTextAsync(IObjectStore store, string key) =>
        Encoding.UTF8.GetString(await store.ReadAsync(key) ?? throw new InvalidOperationException($"{key} is missing"));
}
