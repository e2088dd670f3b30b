using System.Globalization;
using Clickstream.Delta.Log;
using Clickstream.Delta.Storage;
using Clickstream.Delta.Table;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Tests.Maintenance;

/// <summary>Small date-partitioned tables whose data files are placeholder bytes (nothing here reads them).</summary>
internal static class MaintenanceTables
{
    public static readonly StructType Schema = new([
        new StructField("id", PrimitiveType.Long),
        new StructField("name", PrimitiveType.String),
        new StructField("event_date", PrimitiveType.Date),
    ]);

    /// <summary>Creates the table; checkpoints are pushed far out so that tests see plain commits.</summary>
    public static async Task<DeltaTable> CreateAsync(IObjectStore store, IReadOnlyDictionary<string, string>? properties = null)
    {
        var configuration = new Dictionary<string, string> { ["delta.checkpointInterval"] = "1000" };
        foreach (var (key, value) in properties ?? new Dictionary<string, string>())
        {
            configuration[key] = value;
        }

        var table = DeltaTable.Open(store, "testtable");
        await table.CreateIfAbsentAsync(Schema, ["event_date"], configuration);
        return table;
    }

    /// <summary>Writes placeholder bytes for a data file of <paramref name="date"/> and returns its add action.</summary>
    public static async Task<AddAction> WriteFileAsync(IObjectStore store, string? date, int size = 100, long? records = 10)
    {
        var key = DeltaPaths.PartitionDirectory("event_date", date) + $"/part-00000-{Guid.NewGuid()}-c000.snappy.parquet";
        await store.PutAsync(key, new byte[size]);
        var stats = records is { } n ? string.Create(CultureInfo.InvariantCulture, $"{{\"numRecords\":{n}}}") : null;
        return new AddAction(DeltaPaths.ToUriPath(key), new Dictionary<string, string?> { ["event_date"] = date }, size, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), true, stats);
    }

    /// <summary>Writes and appends one file per date in one commit.</summary>
    public static async Task<IReadOnlyList<AddAction>> AppendAsync(DeltaTable table, params string?[] dates)
    {
        var files = new List<AddAction>();
        var txn = table.StartTransaction(await table.GetSnapshotAsync());
        foreach (var date in dates)
        {
            var file = await WriteFileAsync(table.Store, date);
            files.Add(file);
            txn.Add(file);
        }

        await txn.CommitAsync();
        return files;
    }

    /// <summary>Removes files in one commit with the given deletion time.</summary>
    public static async Task RemoveAsync(DeltaTable table, DateTimeOffset deletedAt, params AddAction[] files)
    {
        var txn = table.StartTransaction(await table.GetSnapshotAsync());
        foreach (var file in files)
        {
            txn.Remove(file, dataChange: true, deletionTimestamp: deletedAt.ToUnixTimeMilliseconds());
        }

        await txn.CommitAsync();
    }

    public static string KeyOf(AddAction file) => DeltaPaths.KeyOf(file.Path);
}
