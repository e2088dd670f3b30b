using Clickstream.Delta.Log;
using Clickstream.Delta.Storage;
using Clickstream.Delta.Table;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Tests.Table;

/// <summary>Helpers to build small tables in memory.</summary>
internal static class TestTables
{
    public static readonly StructType Schema = new([
        new StructField("id", PrimitiveType.Long),
        new StructField("name", PrimitiveType.String),
        new StructField("day", PrimitiveType.Date),
    ]);

    public static async Task<(DeltaTable Table, InMemoryObjectStore Store)> CreateAsync(IReadOnlyDictionary<string, string>? configuration = null)
    {
        var store = new InMemoryObjectStore();
        var table = DeltaTable.Open(store, "memtable");
        await table.CreateIfAbsentAsync(Schema, ["day"], configuration);
        return (table, store);
    }

    public static AddAction File(string day, string? name = null, long size = 100) =>
        new(
            DeltaPaths.ToUriPath(DeltaPaths.PartitionDirectory("day", day) + "/" + (name ?? $"part-00000-{Guid.NewGuid()}-c000.snappy.parquet")),
            new Dictionary<string, string?> { ["day"] = day },
            size,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            true,
            "{\"numRecords\":1}");

    public static async Task<CommitResult> AppendAsync(DeltaTable table, params AddAction[] files)
    {
        var txn = table.StartTransaction(await table.GetSnapshotAsync());
        foreach (var f in files)
        {
            txn.Add(f);
        }

        return await txn.CommitAsync();
    }
}
