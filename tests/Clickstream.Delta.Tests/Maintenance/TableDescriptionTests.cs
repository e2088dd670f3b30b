using Clickstream.Delta.Maintenance;
using Clickstream.Delta.Storage;
using Clickstream.Delta.Table;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Tests.Maintenance;

public sealed class TableDescriptionTests
{
    [Fact]
    public async Task LoadAsync_DescribesSchemaFilesPartitionsAndTransactions()
    {
        var store = new InMemoryObjectStore();
        var table = await MaintenanceTables.CreateAsync(store, new Dictionary<string, string> { ["delta.logRetentionDuration"] = "interval 30 days" });
        await MaintenanceTables.AppendAsync(table, "2025-03-01", "2025-03-01", "2025-03-02");
        var noStats = await MaintenanceTables.WriteFileAsync(store, "2025-03-03", size: 5, records: null);
        await table.StartTransaction(await table.GetSnapshotAsync()).Add(noStats).SetApplicationTransaction("query-a", 41).CommitAsync();

        var d = await TableDescription.LoadAsync(table);

        Assert.Equal("testtable", d.Location);
        Assert.Equal(2, d.Version);
        Assert.Equal((1, 2), (d.Protocol.MinReaderVersion, d.Protocol.MinWriterVersion));
        Assert.Equal((await table.GetSnapshotAsync()).Metadata.Id, d.TableId);
        Assert.NotNull(d.CreatedTime);
        Assert.NotNull(d.LastCommitTime);
        Assert.Equal(
            [new ColumnDescription("id", "long", true, false), new ColumnDescription("name", "string", true, false), new ColumnDescription("event_date", "date", true, true)],
            d.Columns);
        Assert.Equal(["event_date"], d.PartitionColumns);
        Assert.Equal(["delta.checkpointInterval", "delta.logRetentionDuration"], d.Properties.Select(p => p.Key));
        Assert.Equal(4, d.FileCount);
        Assert.Equal(305, d.TotalBytes);
        Assert.Null(d.TotalRecords);
        Assert.Equal(
            [("event_date=2025-03-01", 2, 200L, (long?)20), ("event_date=2025-03-02", 1, 100L, 10), ("event_date=2025-03-03", 1, 5L, null)],
            d.Partitions.Select(p => (p.Directory, p.Files, p.Bytes, p.Records)));
        Assert.Equal("2025-03-01", d.Partitions[0].Values["event_date"]);
        Assert.Null(d.LatestCheckpointVersion);
        var txn = Assert.Single(d.ApplicationTransactions);
        Assert.Equal(("query-a", 41L), (txn.AppId, txn.Version));
    }

    [Fact]
    public async Task LoadAsync_EmptyTable_HasNoPartitionsAndZeroRecords()
    {
        var table = await MaintenanceTables.CreateAsync(new InMemoryObjectStore());

        var d = await TableDescription.LoadAsync(table);

        Assert.Equal(0, d.Version);
        Assert.Equal(0, d.FileCount);
        Assert.Equal(0, d.TotalRecords);
        Assert.Empty(d.Partitions);
        Assert.Empty(d.ApplicationTransactions);
    }

    [Fact]
    public async Task LoadAsync_NoTable_Throws()
    {
        var table = DeltaTable.Open(new InMemoryObjectStore(), "nowhere");
        await Assert.ThrowsAsync<DeltaTableNotFoundException>(() => TableDescription.LoadAsync(table));
    }

    [Fact]
    public void TypeName_SpellsComplexTypesLikeSparkSql()
    {
        Assert.Equal("map<string,string>", TableDescription.TypeName(new MapType(PrimitiveType.String, PrimitiveType.String)));
        Assert.Equal("array<struct<a:long,b:decimal(10,2)>>", TableDescription.TypeName(new ArrayType(new StructType([
            new StructField("a", PrimitiveType.Long),
            new StructField("b", PrimitiveType.Decimal(10, 2)),
        ]))));
    }
}
