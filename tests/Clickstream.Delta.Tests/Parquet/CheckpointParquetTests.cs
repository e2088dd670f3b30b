using System.Globalization;
using System.Text;
using Clickstream.Delta.Log;
using Clickstream.Delta.Parquet;

namespace Clickstream.Delta.Tests.Parquet;

public sealed class CheckpointParquetTests : IDisposable
{
    private const string SchemaString = """{"type":"struct","fields":[{"name":"event_id","type":"string","nullable":true,"metadata":{}},{"name":"event_date","type":"date","nullable":true,"metadata":{}}]}""";

    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task ReadAsync_GoldenCheckpoint_ProtocolMetadataOneAddTenRemoves()
    {
        var file = ParquetTestFiles.GoldenLog("checkpoint", "00000000000000000010.checkpoint.parquet");

        var actions = await CheckpointParquet.ReadAsync(file);

        Assert.Equal(13, actions.Count);
        Assert.Equal(13, await CheckpointParquet.ReadRowCountAsync(file));
        var protocol = Assert.Single(actions.OfType<ProtocolAction>());
        Assert.Equal((1, 2), (protocol.MinReaderVersion, protocol.MinWriterVersion));
        Assert.Null(protocol.ReaderFeatures);
        var metadata = Assert.Single(actions.OfType<MetadataAction>());
        Assert.Equal("testId", metadata.Id);
        Assert.Equal("intCol", Assert.Single(metadata.Schema.Fields).Name);
        Assert.Empty(metadata.PartitionColumns);
        var add = Assert.Single(actions.OfType<AddAction>());
        Assert.Equal("11", add.Path);
        Assert.Empty(add.PartitionValues);
        Assert.Equal(
            Enumerable.Range(1, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal),
            actions.OfType<RemoveAction>().Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.All(actions.OfType<RemoveAction>(), r => Assert.NotNull(r.DeletionTimestamp));
    }

    [Fact]
    public async Task ReadAsync_GoldenCheckpointWithTombstones_AddsCarryStatsAndRemovesExtendedMetadata()
    {
        var actions = await CheckpointParquet.ReadAsync(ParquetTestFiles.GoldenLog("basic-with-inserts-deletes-checkpoint", "00000000000000000010.checkpoint.parquet"));

        Assert.Equal(13, actions.Count);
        var adds = actions.OfType<AddAction>().ToList();
        var removes = actions.OfType<RemoveAction>().ToList();
        Assert.Equal(6, adds.Count);
        Assert.Equal(5, removes.Count);
        Assert.Single(actions.OfType<ProtocolAction>());
        Assert.Equal(1_691_426_730_560, Assert.Single(actions.OfType<MetadataAction>()).CreatedTime);
        var add = Assert.Single(adds, a => a.Path == "part-00000-ca2d0b26-c15c-454f-a933-fc724e15e5f1-c000.snappy.parquet");
        Assert.Equal(500, add.Size);
        Assert.Equal(1_691_426_737_139, add.ModificationTime);
        Assert.Equal("""{"numRecords":5,"minValues":{"id":0},"maxValues":{"id":4},"nullCount":{"id":0}}""", add.Stats);
        Assert.All(removes, r =>
        {
            Assert.True(r.ExtendedFileMetadata);
            Assert.NotNull(r.Size);
            Assert.Empty(r.PartitionValues!);
        });
    }

    [Fact]
    public async Task ReadAsync_GoldenMultiPartCheckpoint_PartsTogetherHoldTheSnapshot()
    {
        var first = await CheckpointParquet.ReadAsync(ParquetTestFiles.GoldenLog("multi-part-checkpoint", "00000000000000000001.checkpoint.0000000001.0000000002.parquet"));
        var second = await CheckpointParquet.ReadAsync(ParquetTestFiles.GoldenLog("multi-part-checkpoint", "00000000000000000001.checkpoint.0000000002.0000000002.parquet"));

        Assert.Equal(12, first.Count + second.Count); // _last_checkpoint: size 12
        var all = first.Concat(second).ToList();
        Assert.Single(all.OfType<ProtocolAction>());
        Assert.Equal("1", Assert.Single(all.OfType<MetadataAction>()).Property("delta.checkpointInterval"));
        Assert.Equal(10, all.OfType<AddAction>().Select(a => a.Path).Distinct().Count());
        Assert.Equal(31, all.OfType<AddAction>().Sum(a => NumRecords(a.Stats!)));
    }

    [Fact]
    public async Task WriteAsync_EveryActionType_ReadsBackTheSameActions()
    {
        DeltaAction[] actions =
        [
            new ProtocolAction(1, 2),
            new MetadataAction("6f1c…", SchemaString, ["event_date"], new Dictionary<string, string> { ["delta.checkpointInterval"] = "50", ["delta.logRetentionDuration"] = "interval 30 days" }, 1_740_787_200_000, "raw_events", "all events", "parquet", new Dictionary<string, string> { ["k"] = "v" }),
            new TxnAction("stream-1", 41, 1_740_787_260_000),
            new TxnAction("stream-2", 7),
            new DomainMetadataAction("delta.someDomain", """{"a":1}""", false),
            new AddAction("event_date=2025-03-01/part-00000-a.snappy.parquet", new Dictionary<string, string?> { ["event_date"] = "2025-03-01" }, 8_123, 1_740_787_260_123, false, """{"numRecords":2}""", new Dictionary<string, string> { ["tag"] = "x" }),
            new AddAction("event_date=__HIVE_DEFAULT_PARTITION__/part-00000-b.snappy.parquet", new Dictionary<string, string?> { ["event_date"] = null }, 1, 2, true),
            new AddAction("part-00000-c.snappy.parquet", new Dictionary<string, string?>(), 3, 4, true),
            new RemoveAction("event_date=2023-01-01/old.parquet", 1_740_000_000_000, true, true, new Dictionary<string, string?> { ["event_date"] = "2023-01-01", ["other"] = null }, 77),
            new RemoveAction("bare.parquet", null, false),
        ];

        var file = await CheckpointParquet.WriteAsync(actions);
        var back = await CheckpointParquet.ReadAsync(file);

        Assert.Equal(Json(actions), Json(back));
        Assert.Equal(actions.Length, await CheckpointParquet.ReadRowCountAsync(file));
        var nullPartition = Assert.IsType<AddAction>(back[6]);
        Assert.True(nullPartition.PartitionValues.ContainsKey("event_date"));
        Assert.Null(nullPartition.PartitionValues["event_date"]);
        Assert.Null(Assert.IsType<RemoveAction>(back[8]).PartitionValues!["other"]);
    }

    [Fact]
    public async Task WriteAsync_ProtocolWithTableFeatures_RoundTripsTheFeatureLists()
    {
        DeltaAction[] actions = [new ProtocolAction(3, 7, ["deletionVectors"], ["deletionVectors", "domainMetadata"]), Metadata()];

        var back = await CheckpointParquet.ReadAsync(await CheckpointParquet.WriteAsync(actions));

        var protocol = Assert.IsType<ProtocolAction>(back[0]);
        Assert.Equal(["deletionVectors"], protocol.ReaderFeatures!);
        Assert.Equal(["deletionVectors", "domainMetadata"], protocol.WriterFeatures!);
    }

    [Fact]
    public async Task WriteAsync_ManyAdds_SplitIntoRowGroupsAndReadBackInOrder()
    {
        var actions = new List<DeltaAction> { ProtocolAction.Default, Metadata() };
        for (var i = 0; i < 150_000; i++)
        {
            actions.Add(new AddAction($"f{i}.parquet", new Dictionary<string, string?> { ["event_date"] = i % 100 == 0 ? null : "2025-03-01" }, i, i, false));
        }

        var back = await CheckpointParquet.ReadAsync(await CheckpointParquet.WriteAsync(actions));

        Assert.Equal(actions.Count, back.Count);
        Assert.Equal(actions.OfType<AddAction>().Select(a => a.Path), back.OfType<AddAction>().Select(a => a.Path));
        Assert.Equal(1_500, back.OfType<AddAction>().Count(a => a.PartitionValues["event_date"] is null));
    }

    [Fact]
    public async Task WriteAsync_Layout_EqualsSparksCheckpointLayout()
    {
        var ours = _scratch.Write("ours.parquet", await CheckpointParquet.WriteAsync([ProtocolAction.Default, Metadata()]));
        var spark = Path.Combine(ParquetTestFiles.Golden("basic-with-inserts-deletes-checkpoint"), "_delta_log", "00000000000000000010.checkpoint.parquet");

        using var duck = ParquetTestFiles.OpenDuckDb();
        var expected = Layout(duck, spark);
        var actual = Layout(duck, ours);

        Assert.Equal(expected, actual);
        Assert.StartsWith("spark_schema|", actual[0], StringComparison.Ordinal);
        Assert.Contains("add.stats|BYTE_ARRAY|OPTIONAL|0|UTF8", actual);
        Assert.DoesNotContain(actual, c => c.StartsWith("remove.stats", StringComparison.Ordinal) || c.StartsWith("remove.tags", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_DuckDbReadsIt_OneActionPerRowAndNullOptionalFields()
    {
        var path = _scratch.Write("checkpoint.parquet", await CheckpointParquet.WriteAsync(
        [
            ProtocolAction.Default,
            Metadata(),
            new AddAction("a.parquet", new Dictionary<string, string?> { ["event_date"] = null }, 1, 2, true, """{"numRecords":1}"""),
            new RemoveAction("b.parquet", 5, true, true, new Dictionary<string, string?> { ["event_date"] = "2025-03-01" }, 9),
        ]));
        var from = $"read_parquet({ParquetTestFiles.Sql(path)})";

        using var duck = ParquetTestFiles.OpenDuckDb();
        Assert.Equal(4L, Count(duck, $"SELECT count(*) FROM {from}"));
        Assert.Equal(4L, Count(duck, $"SELECT count(*) FROM {from} WHERE (txn IS NOT NULL)::INT + (add IS NOT NULL)::INT + (remove IS NOT NULL)::INT + (metaData IS NOT NULL)::INT + (protocol IS NOT NULL)::INT + (domainMetadata IS NOT NULL)::INT = 1"));
        Assert.Equal(0L, Count(duck, $"SELECT count(*) FROM {from} WHERE add.deletionVector IS NOT NULL OR add.baseRowId IS NOT NULL OR add.defaultRowCommitVersion IS NOT NULL OR add.tags IS NOT NULL OR remove.deletionVector IS NOT NULL"));
        Assert.Equal(1L, Count(duck, $"SELECT count(*) FROM {from} WHERE protocol IS NOT NULL AND protocol.readerFeatures IS NULL AND protocol.writerFeatures IS NULL AND protocol.minWriterVersion = 2"));
        Assert.Equal(1L, Count(duck, $"SELECT count(*) FROM (SELECT unnest(map_values(add.partitionValues)) AS v FROM {from} WHERE add IS NOT NULL) WHERE v IS NULL"));
        Assert.Equal("""{"numRecords":1}""", duck.Scalar($"SELECT add.stats FROM {from} WHERE add IS NOT NULL"));
        Assert.Equal("event_date", duck.Scalar($"SELECT metaData.partitionColumns[1] FROM {from} WHERE metaData IS NOT NULL"));
    }

    [Fact]
    public async Task WriteAsync_ActionsThatNeverGoInACheckpoint_Throw()
    {
        DeltaAction[] valid = [ProtocolAction.Default, Metadata()];

        await Assert.ThrowsAsync<ArgumentException>(() => CheckpointParquet.WriteAsync([.. valid, new CommitInfoAction([])]));
        await Assert.ThrowsAsync<ArgumentException>(() => CheckpointParquet.WriteAsync([.. valid, new CdcAction("c.parquet")]));
        await Assert.ThrowsAsync<ArgumentException>(() => CheckpointParquet.WriteAsync([Metadata()]));
        await Assert.ThrowsAsync<ArgumentException>(() => CheckpointParquet.WriteAsync([.. valid, ProtocolAction.Default]));
    }

    [Theory]
    [InlineData("SELECT {'appId': 'a', 'version': 1::BIGINT} AS txn, {'minReaderVersion': 1, 'minWriterVersion': 2} AS protocol")]
    [InlineData("SELECT {'appId': NULL::VARCHAR, 'version': 1::BIGINT} AS txn")]
    [InlineData("SELECT {'path': 'p', 'size': 1::BIGINT, 'modificationTime': 1::BIGINT, 'dataChange': true, 'deletionVector': {'storageType': 'u', 'pathOrInlineDv': 'x', 'offset': 1, 'sizeInBytes': 1, 'cardinality': 1::BIGINT}} AS add")]
    public async Task ReadAsync_MalformedRows_ThrowDeltaFormatException(string select)
    {
        var path = _scratch.File("bad.parquet");
        using (var duck = ParquetTestFiles.OpenDuckDb())
        {
            duck.Scalar($"COPY ({select}) TO {ParquetTestFiles.Sql(path)} (FORMAT parquet)");
        }

        await Assert.ThrowsAsync<DeltaFormatException>(() => CheckpointParquet.ReadAsync(File.ReadAllBytes(path)));
    }

    private static MetadataAction Metadata() => new("id-1", SchemaString, ["event_date"], new Dictionary<string, string>(), 1);

    private static string Json(IEnumerable<DeltaAction> actions) => Encoding.UTF8.GetString(ActionSerializer.Serialize(actions));

    private static long NumRecords(string stats) => System.Text.Json.JsonDocument.Parse(stats).RootElement.GetProperty("numRecords").GetInt64();

    private static long Count(DuckDB.NET.Data.DuckDBConnection duck, string sql) => Convert.ToInt64(duck.Scalar(sql), CultureInfo.InvariantCulture);

    /// <summary>
    /// Each schema element as <c>dotted.path|physical|repetition|children|converted</c>. Integer annotations are left
    /// out: Parquet.Net marks INT32/INT64 as INT(32/64, signed), which Spark writes bare; readers take both alike.
    /// </summary>
    private static List<string> Layout(DuckDB.NET.Data.DuckDBConnection duck, string file)
    {
        var rows = duck.Rows($"SELECT name, type, repetition_type, num_children, converted_type FROM parquet_schema({ParquetTestFiles.Sql(file)})");
        var layout = new List<string>();
        var path = new Stack<(string Name, long Remaining)>();
        foreach (var row in rows)
        {
            var name = (string)row[0]!;
            var children = row[3] is null ? 0L : Convert.ToInt64(row[3], CultureInfo.InvariantCulture);
            var converted = row[4] as string is "INT_32" or "INT_64" ? "" : row[4] as string ?? "";
            var prefix = string.Join(".", path.Reverse().Skip(1).Select(p => p.Name));
            layout.Add($"{(prefix.Length == 0 ? "" : prefix + ".")}{name}|{row[1]}|{(path.Count == 0 ? "" : row[2])}|{children}|{converted}");
            if (path.Count > 0)
            {
                var (parent, remaining) = path.Pop();
                path.Push((parent, remaining - 1));
            }

            if (children > 0)
            {
                path.Push((name, children));
            }

            while (path.Count > 0 && path.Peek().Remaining == 0)
            {
                path.Pop();
            }
        }

        return layout;
    }
}
