using System.Text;
using System.Text.Json.Nodes;
using Clickstream.Delta.Log;
using Clickstream.Delta.Maintenance;
using Clickstream.Delta.Parquet;
using Clickstream.Delta.Storage;
using Clickstream.Delta.Table;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Tests.Maintenance;

public sealed class OptimizeTests : IDisposable
{
    // Today is 2025-03-10 (UTC): every earlier day is closed.
    private static readonly DateTimeOffset Now = new(2025, 3, 10, 8, 0, 0, TimeSpan.Zero);

    private static readonly StructType Schema = new([
        new StructField("id", PrimitiveType.Long),
        new StructField("name", PrimitiveType.String),
        new StructField("score", PrimitiveType.Double),
        new StructField("ratio", PrimitiveType.Float),
        new StructField("flag", PrimitiveType.Boolean),
        new StructField("n", PrimitiveType.Integer),
        new StructField("born", PrimitiveType.Date),
        new StructField("at", PrimitiveType.Timestamp),
        new StructField("event_date", PrimitiveType.Date),
    ]);

    private static readonly StructType DataSchema = new(Schema.Fields.Take(8));

    private readonly string _root = Path.Combine(Path.GetTempPath(), "delta-optimize-" + Guid.NewGuid().ToString("N"));
    private long _nextId;

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    public static TheoryData<string> Stores => ["memory", "local"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task RunAsync_CompactsEachClosedDayInOneCommit_AndPreservesEveryRow(string kind)
    {
        var store = kind == "local" ? (IObjectStore)new LocalObjectStore(_root) : new InMemoryObjectStore();
        var table = await CreateAsync(store);
        foreach (var (day, files) in new[] { ("2025-03-01", 3), ("2025-03-02", 2), ("2025-03-03", 1), ("2025-03-10", 2) })
        {
            for (var i = 0; i < files; i++)
            {
                await AppendRowsAsync(table, day, 50 + i);
            }
        }

        var before = await table.GetSnapshotAsync();
        var rowsBefore = await RowsByDayAsync(table, before);

        var result = await Optimize.RunAsync(table, date: null, Optimize.DefaultTargetFileBytes, Now);

        Assert.Equal(before.Version + 1, result.Version);
        Assert.Equal(["event_date=2025-03-01", "event_date=2025-03-02"], result.Partitions.Select(p => p.Directory));
        Assert.Equal((5, 2, 50 + 51 + 52 + 50 + 51), (result.FilesRemoved, result.FilesAdded, (int)result.Records));
        var after = await table.GetSnapshotAsync();
        Assert.Equal(before.FileCount - 3, after.FileCount);
        Assert.Equal([1, 1, 1, 2], after.Files.GroupBy(f => f.PartitionValues["event_date"]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Count()));
        Assert.Equal(rowsBefore, await RowsByDayAsync(table, after));

        var lines = await CommitLinesAsync(store, result.Version!.Value);
        var info = lines[0]["commitInfo"]!;
        Assert.Equal("OPTIMIZE", (string?)info["operation"]);
        Assert.Equal("[\"(event_date < '2025-03-10')\"]", (string?)info["operationParameters"]!["predicate"]);
        Assert.Equal("5", (string?)info["operationMetrics"]!["numRemovedFiles"]);
        Assert.Equal("2", (string?)info["operationMetrics"]!["numAddedFiles"]);
        var removes = lines.Where(l => l["remove"] is not null).Select(l => l["remove"]!).ToList();
        var adds = lines.Where(l => l["add"] is not null).Select(l => l["add"]!).ToList();
        Assert.Equal(5, removes.Count);
        Assert.Equal(2, adds.Count);
        Assert.All(removes, r => Assert.False((bool)r["dataChange"]!));
        Assert.All(adds, a => Assert.False((bool)a["dataChange"]!));
        Assert.Equal([153L, 101L], adds.Select(a => (long)JsonNode.Parse((string)a["stats"]!)!["numRecords"]!));

        // The replaced files stay on storage (VACUUM deletes them later); the new files are where the log says.
        foreach (var add in adds)
        {
            var bytes = await store.ReadAsync(DeltaPaths.KeyOf((string)add["path"]!));
            Assert.Equal((long)add["size"]!, bytes!.Length);
        }

        foreach (var replaced in before.Files)
        {
            Assert.NotNull(await store.ReadAsync(DeltaPaths.KeyOf(replaced.Path)));
        }
    }

    [Fact]
    public async Task RunAsync_NamedDate_CompactsThatDayOnly_EvenToday()
    {
        var table = await CreateAsync(new InMemoryObjectStore());
        await AppendRowsAsync(table, "2025-03-09", 10);
        await AppendRowsAsync(table, "2025-03-09", 10);
        await AppendRowsAsync(table, "2025-03-10", 10);
        await AppendRowsAsync(table, "2025-03-10", 10);
        var rowsBefore = await RowsByDayAsync(table, await table.GetSnapshotAsync());

        var result = await Optimize.RunAsync(table, new DateOnly(2025, 3, 10), Optimize.DefaultTargetFileBytes, Now);

        Assert.Equal(["event_date=2025-03-10"], result.Partitions.Select(p => p.Directory));
        var after = await table.GetSnapshotAsync();
        Assert.Equal(3, after.FileCount);
        Assert.Equal(rowsBefore, await RowsByDayAsync(table, after));
    }

    [Fact]
    public async Task RunAsync_TodayIsNotCompactedByDefault_AndSingleFilesAreSkipped()
    {
        var table = await CreateAsync(new InMemoryObjectStore());
        await AppendRowsAsync(table, "2025-03-09", 10);
        await AppendRowsAsync(table, "2025-03-10", 10);
        await AppendRowsAsync(table, "2025-03-10", 10);

        var result = await Optimize.RunAsync(table, date: null, Optimize.DefaultTargetFileBytes, Now);

        Assert.Null(result.Version);
        Assert.Empty(result.Partitions);
        Assert.Equal(3, (await table.GetSnapshotAsync()).Version);
    }

    [Fact]
    public async Task RunAsync_SmallTarget_PacksFilesIntoGroups_AndLeavesLargeFilesAlone()
    {
        var table = await CreateAsync(new InMemoryObjectStore());
        var small = new List<AddAction>();
        for (var i = 0; i < 4; i++)
        {
            small.Add(await AppendRowsAsync(table, "2025-03-01", 20));
        }

        var large = await AppendRowsAsync(table, "2025-03-01", 2000);
        var (min, max) = (small.Min(f => f.Size), small.Max(f => f.Size));
        Assert.True(max * 4 < min * 5, "the small files should be of similar size");
        var target = (2 * max) + (min / 2);
        Assert.True(large.Size > target);
        var rowsBefore = await RowsByDayAsync(table, await table.GetSnapshotAsync());

        var result = await Optimize.RunAsync(table, date: null, target, Now);

        var partition = Assert.Single(result.Partitions);
        Assert.Equal((4, 2, 80L), (partition.FilesRemoved, partition.FilesAdded, partition.Records));
        var after = await table.GetSnapshotAsync();
        Assert.Equal(3, after.FileCount);
        Assert.Contains(DeltaPaths.KeyOf(large.Path), after.FilesByKey.Keys);
        Assert.Equal(rowsBefore, await RowsByDayAsync(table, after));
    }

    [Fact]
    public async Task RunAsync_ConcurrentAppendToTheDay_FailsCleanly_AndDeletesItsNewFiles()
    {
        var memory = new InMemoryObjectStore();
        var store = new HookedObjectStore(memory);
        var table = await CreateAsync(store);
        await AppendRowsAsync(table, "2025-03-01", 10);
        await AppendRowsAsync(table, "2025-03-01", 10);
        var version = (await table.GetSnapshotAsync()).Version;
        store.BeforeCreating(DeltaPaths.CommitKey(version + 1), () => AppendRowsAsync(DeltaTable.Open(memory, "other"), "2025-03-01", 5));

        var e = await Assert.ThrowsAsync<ConcurrentModificationException>(() => Optimize.RunAsync(table, date: null, Optimize.DefaultTargetFileBytes, Now));

        Assert.Contains("concurrent append", e.Message, StringComparison.Ordinal);
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(version + 1, snapshot.Version);
        Assert.Equal(3, snapshot.FileCount);
        var dataFiles = (await memory.ListAsync("event_date=")).Select(o => o.Key).ToHashSet();
        Assert.Equal(snapshot.FilesByKey.Keys.ToHashSet(), dataFiles);
    }

    [Fact]
    public async Task RunAsync_ConcurrentAppendToAnotherDay_StillCommits()
    {
        var memory = new InMemoryObjectStore();
        var store = new HookedObjectStore(memory);
        var table = await CreateAsync(store);
        await AppendRowsAsync(table, "2025-03-01", 10);
        await AppendRowsAsync(table, "2025-03-01", 10);
        var version = (await table.GetSnapshotAsync()).Version;
        store.BeforeCreating(DeltaPaths.CommitKey(version + 1), () => AppendRowsAsync(DeltaTable.Open(memory, "other"), "2025-03-10", 5));

        var result = await Optimize.RunAsync(table, date: null, Optimize.DefaultTargetFileBytes, Now);

        Assert.Equal(version + 2, result.Version);
        Assert.Equal(2, (await table.GetSnapshotAsync()).FileCount);
    }

    [Fact]
    public async Task RunAsync_CheckpointFailsAfterTheCommit_TheCommitStandsWithItsFiles()
    {
        var memory = new InMemoryObjectStore();
        var store = new HookedObjectStore(memory);
        var table = await CreateAsync(store, new Dictionary<string, string> { ["delta.checkpointInterval"] = "3" });
        await AppendRowsAsync(table, "2025-03-01", 10);
        await AppendRowsAsync(table, "2025-03-01", 10);
        store.FailPuts(key => key.EndsWith(".checkpoint.parquet", StringComparison.Ordinal));

        var result = await Optimize.RunAsync(table, date: null, Optimize.DefaultTargetFileBytes, Now);
        Assert.Equal(3, result.Version);

        var snapshot = await DeltaTable.Open(memory, "fresh").GetSnapshotAsync();
        Assert.Equal(3, snapshot.Version);
        var file = Assert.Single(snapshot.Files);
        Assert.False(file.DataChange);
        Assert.NotNull(await memory.ReadAsync(DeltaPaths.KeyOf(file.Path)));
    }

    [Fact]
    public async Task RunAsync_WithManifestsOn_RewritesTheCompactedDaysManifest()
    {
        var store = new InMemoryObjectStore();
        var table = await CreateAsync(store, new Dictionary<string, string> { [SymlinkManifest.EnabledProperty] = "true" });
        await AppendRowsAsync(table, "2025-03-01", 10);
        await AppendRowsAsync(table, "2025-03-01", 10);
        await SymlinkManifest.GenerateAsync(table, await table.GetSnapshotAsync());

        var result = await Optimize.RunAsync(table, date: null, Optimize.DefaultTargetFileBytes, Now);

        Assert.Equal(["_symlink_format_manifest/event_date=2025-03-01/manifest"], result.Manifests!.Written);
        var file = Assert.Single((await table.GetSnapshotAsync()).Files);
        var manifest = Encoding.UTF8.GetString((await store.ReadAsync(result.Manifests.Written[0]))!);
        Assert.Equal("memory:///" + DeltaPaths.KeyOf(file.Path) + "\n", manifest);
    }

    [Fact]
    public async Task RunAsync_ReportsProgressPerDay()
    {
        var table = await CreateAsync(new InMemoryObjectStore());
        await AppendRowsAsync(table, "2025-03-01", 10);
        await AppendRowsAsync(table, "2025-03-01", 10);
        var lines = new List<string>();

        await Optimize.RunAsync(table, date: null, Optimize.DefaultTargetFileBytes, Now, new OptimizeOptions { Progress = new ListProgress(lines) });

        Assert.Contains(lines, l => l.StartsWith("event_date=2025-03-01: 2 files", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("committed version 3", StringComparison.Ordinal));
    }

    [Fact]
    public void RowVectors_SubMillisecondTimestamp_IsRefusedRatherThanTruncated()
    {
        var schema = new StructType([new StructField("at", PrimitiveType.Timestamp)]);
        var rows = new List<object?[]> { new object?[] { new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(10) } };

        var e = Assert.Throws<DeltaFormatException>(() => RowVectors.Build(schema, rows));

        Assert.Contains("milliseconds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ColumnTypeTheWriterCannotWrite_IsRefusedBeforeAnyWork()
    {
        var table = DeltaTable.Open(new InMemoryObjectStore(), "withmap");
        await table.CreateIfAbsentAsync(new StructType([
            new StructField("tags", new MapType(PrimitiveType.String, PrimitiveType.String)),
            new StructField("event_date", PrimitiveType.Date),
        ]), ["event_date"]);

        var e = await Assert.ThrowsAsync<DeltaFormatException>(() => Optimize.RunAsync(table, date: null, Optimize.DefaultTargetFileBytes, Now));

        Assert.Contains("map<string,string>", e.Message, StringComparison.Ordinal);
    }

    private static async Task<DeltaTable> CreateAsync(IObjectStore store, IReadOnlyDictionary<string, string>? properties = null)
    {
        var configuration = new Dictionary<string, string> { ["delta.checkpointInterval"] = "1000" };
        foreach (var (key, value) in properties ?? new Dictionary<string, string>())
        {
            configuration[key] = value;
        }

        var table = DeltaTable.Open(store, "optimized");
        await table.CreateIfAbsentAsync(Schema, ["event_date"], configuration);
        return table;
    }

    /// <summary>Appends a real Parquet file of <paramref name="rows"/> rows with every column type, some values null.</summary>
    private async Task<AddAction> AppendRowsAsync(DeltaTable table, string day, int rows)
    {
        var ids = new long[rows];
        var names = new string?[rows];
        var scores = new double[rows];
        var ratios = new float[rows];
        var flags = new bool[rows];
        var ns = new int[rows];
        var born = new int[rows];
        var at = new long[rows];
        var nulls = new bool[rows];
        for (var i = 0; i < rows; i++)
        {
            var id = Interlocked.Increment(ref _nextId);
            ids[i] = id;
            names[i] = id % 7 == 0 ? null : $"name-{id}-é";
            scores[i] = id * 1.25;
            ratios[i] = id / 3f;
            flags[i] = id % 2 == 0;
            ns[i] = (int)(id * 3);
            born[i] = 19_000 + (int)id;
            at[i] = 1_740_787_200_000_000L + (id * 1_000);
            nulls[i] = id % 5 == 0;
        }

        var file = await DataFileWriter.WriteAsync(DataSchema, [
            new LongVector(ids),
            new StringVector(names),
            new DoubleVector(scores, nulls),
            new FloatVector(ratios, nulls),
            new BooleanVector(flags, nulls),
            new IntegerVector(ns, nulls),
            new DateVector(born, nulls),
            new TimestampVector(at, nulls),
        ]);
        var key = $"event_date={day}/part-00000-{Guid.NewGuid()}-c000.snappy.parquet";
        await table.Store.PutAsync(key, file.Content);
        var add = new AddAction(key, new Dictionary<string, string?> { ["event_date"] = day }, file.Content.Length, Interlocked.Increment(ref _nextId), true, file.Stats);
        await table.StartTransaction(await table.GetSnapshotAsync()).Add(add).CommitAsync();
        return add;
    }

    /// <summary>Every row of the snapshot, per day, sorted by id and rendered as text for an exact comparison.</summary>
    private static async Task<SortedDictionary<string, List<string>>> RowsByDayAsync(DeltaTable table, Snapshot snapshot)
    {
        var result = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in snapshot.Files)
        {
            var day = file.PartitionValues["event_date"]!;
            var rows = await DataFileReader.ReadAsync((await table.Store.ReadAsync(DeltaPaths.KeyOf(file.Path)))!, DataSchema);
            if (!result.TryGetValue(day, out var list))
            {
                result[day] = list = [];
            }

            list.AddRange(rows.Select(r => string.Join("|", r.Select(v => v switch
            {
                null => "∅",
                DateTimeOffset t => t.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                _ => v.ToString(),
            }))));
        }

        foreach (var list in result.Values)
        {
            list.Sort(StringComparer.Ordinal);
        }

        return result;
    }

    private static async Task<List<JsonObject>> CommitLinesAsync(IObjectStore store, long version)
    {
        var text = Encoding.UTF8.GetString((await store.ReadAsync(DeltaPaths.CommitKey(version)))!);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
    }

    private sealed class ListProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
