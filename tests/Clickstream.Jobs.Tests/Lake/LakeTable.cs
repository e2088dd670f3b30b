using System.Globalization;
using Clickstream.Delta.Log;
using Clickstream.Delta.Parquet;
using Clickstream.Delta.Table;
using Clickstream.Delta.Types;
using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.Lake;

/// <summary>
/// A date-partitioned Delta table in a temp folder, built with the Delta API. Its data files are placeholders unless
/// written with <see cref="AppendRowsAsync"/>: the actions that never read data need no real Parquet.
/// </summary>
internal sealed class LakeTable : IDisposable
{
    public static readonly StructType Schema = new([
        new StructField("event_id", PrimitiveType.String),
        new StructField("user_id", PrimitiveType.Long),
        new StructField("event_date", PrimitiveType.Date),
    ]);

    private readonly TempFolder _folder;

    private LakeTable(TempFolder folder, DeltaTable table, string path)
    {
        _folder = folder;
        Table = table;
        Path = path;
    }

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public DeltaTable Table { get; }

    /// <summary>The table folder.</summary>
    public string Path { get; }

    /// <summary>A folder next to the table that holds no table.</summary>
    public string Elsewhere => _folder.PathOf("not-a-table");

    public static async Task<LakeTable> CreateAsync(IReadOnlyDictionary<string, string>? properties = null)
    {
        var folder = new TempFolder("lake");
        var path = folder.Folder("events");
        var table = DeltaTable.OpenLocal(path);
        await table.CreateIfAbsentAsync(Schema, ["event_date"], properties ?? new Dictionary<string, string>(), name: "events");
        return new LakeTable(folder, table, path);
    }

    public static string Day(int daysAgo) => Today.AddDays(-daysAgo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Appends one placeholder file (1000 bytes, 25 records by its stats) per date in one commit.</summary>
    public async Task<IReadOnlyList<AddAction>> AppendAsync(string[] dates, (string AppId, long Batch)? txn = null)
    {
        var transaction = Table.StartTransaction(await Table.GetSnapshotAsync());
        var files = new List<AddAction>();
        foreach (var date in dates)
        {
            var key = $"event_date={date}/part-00000-{Guid.NewGuid()}-c000.snappy.parquet";
            await Table.Store.PutAsync(key, new byte[1000]);
            var add = new AddAction(key, new Dictionary<string, string?> { ["event_date"] = date }, 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), true, "{\"numRecords\":25}");
            transaction.Add(add);
            files.Add(add);
        }

        if (txn is { } t)
        {
            transaction.SetApplicationTransaction(t.AppId, t.Batch);
        }

        await transaction.CommitAsync();
        return files;
    }

    /// <summary>Writes <paramref name="rows"/> as one real Parquet file of <paramref name="date"/> and appends it.</summary>
    public async Task<AddAction> AppendRowsAsync(string date, IReadOnlyList<(string? EventId, long? UserId)> rows)
    {
        var dataSchema = new StructType(Schema.Fields.Take(2));
        var userIds = rows.Select(r => r.UserId ?? 0).ToArray();
        var nulls = rows.Select(r => r.UserId is null).ToArray();
        var file = await DataFileWriter.WriteAsync(dataSchema, [new StringVector([.. rows.Select(r => r.EventId)]), new LongVector(userIds, nulls)]);
        var key = $"event_date={date}/part-00000-{Guid.NewGuid()}-c000.snappy.parquet";
        await Table.Store.PutAsync(key, file.Content);
        var add = new AddAction(key, new Dictionary<string, string?> { ["event_date"] = date }, file.Content.Length, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), true, file.Stats);
        await Table.StartTransaction(await Table.GetSnapshotAsync()).Add(add).CommitAsync();
        return add;
    }

    /// <summary>Every row of the latest version as <c>event_date|event_id|user_id</c>, sorted.</summary>
    public async Task<List<string>> RowsAsync()
    {
        var snapshot = await DeltaTable.OpenLocal(Path).GetSnapshotAsync();
        var rows = new List<string>();
        foreach (var file in snapshot.Files)
        {
            var content = await File.ReadAllBytesAsync(FullPath(file.Path));
            foreach (var row in await DataFileReader.ReadAsync(content, new StructType(Schema.Fields.Take(2))))
            {
                rows.Add(string.Join("|", file.PartitionValues["event_date"], row[0] ?? "null", row[1] ?? "null"));
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    public string FullPath(string key) => System.IO.Path.Combine(Path, key);

    public void Dispose() => _folder.Dispose();
}
