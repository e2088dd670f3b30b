using System.Globalization;
using Clickstream.Delta.Parquet;
using Clickstream.Delta.Storage;
using Clickstream.Delta.Table;
using Clickstream.Delta.Types;
using DuckDB.NET.Data;

namespace Clickstream.Delta.Tests.Table;

/// <summary>
/// Tables written by this library, read back by it and by DuckDB over the files the snapshot resolves: the same
/// rows; a crash between writing data files and committing leaves nothing visible; old files read new columns as null.
/// </summary>
public sealed class WrittenTableTests : IDisposable
{
    private static readonly StructType Schema = new([
        new StructField("id", PrimitiveType.Long),
        new StructField("name", PrimitiveType.String),
        new StructField("ts", PrimitiveType.Timestamp),
        new StructField("amount", PrimitiveType.Double),
        new StructField("day", PrimitiveType.Date),
    ]);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "delta-written-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task RoundTrip_ThirtyCommits_OurReaderAndDuckDbSeeTheSameRows()
    {
        var table = DeltaTable.OpenLocal(_root);
        await table.CreateIfAbsentAsync(Schema, ["day"]);
        var expected = new List<string>();
        var random = new Random(7);
        var id = 0L;
        for (var commit = 0; commit < 30; commit++)
        {
            var snapshot = await table.GetSnapshotAsync();
            var txn = table.StartTransaction(snapshot).SetApplicationTransaction("writer", commit);
            foreach (var day in new[] { "2025-03-01", "2025-03-02" })
            {
                var n = random.Next(1, 200);
                var ids = new long[n];
                var names = new string?[n];
                var ts = new long[n];
                var amounts = new double[n];
                var amountNull = new bool[n];
                for (var i = 0; i < n; i++)
                {
                    ids[i] = id++;
                    names[i] = i % 17 == 0 ? null : $"n-{ids[i]} \u00e9\u00e8 \"q\"";
                    ts[i] = (DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber) * 86_400_000_000L + random.Next(0, 86_400_000) * 1000L;
                    amounts[i] = Math.Round(random.NextDouble() * 100, 2);
                    amountNull[i] = i % 5 == 0;
                    expected.Add(Row(ids[i], names[i], ts[i] / 1000, amountNull[i] ? null : amounts[i], day));
                }

                var values = new Dictionary<string, string?> { ["day"] = day };
                txn.Add(await DataFiles.WriteAsync(table, snapshot, values, [new LongVector(ids), new StringVector(names), new TimestampVector(ts), new DoubleVector(amounts, amountNull),]));
            }

            await txn.CommitAsync();
        }

        var latest = await DeltaTable.OpenLocal(_root).GetSnapshotAsync();
        Assert.Equal(30, latest.Version);
        Assert.Equal(30, latest.CheckpointVersion);
        Assert.Equal(60, latest.FileCount);

        var ours = (await TableReader.ReadAllAsync(table, latest))
            .Select(r => Row((long)r[0]!, (string?)r[1], ((DateTimeOffset)r[2]!).ToUnixTimeMilliseconds(), (double?)r[3], ((DateOnly)r[4]!).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), ours);

        var files = TableReader.LocateFiles(table, latest);
        var duck = new List<string>();
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT id, name, epoch_ms(ts), amount, CAST(day AS VARCHAR) FROM read_parquet([{string.Join(", ", files.Select(f => "'" + f.Replace("'", "''", StringComparison.Ordinal) + "'"))}], hive_partitioning = true)";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                duck.Add(Row(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.GetString(4)));
            }

            // Statistics-based pruning must not lose rows: a pushed-down timestamp filter returns every match.
            command.CommandText = $"SELECT count(*) FROM read_parquet([{string.Join(", ", files.Select(f => "'" + f + "'"))}]) WHERE ts >= TIMESTAMPTZ '2025-03-01 12:00:00+00' AND ts < TIMESTAMPTZ '2025-03-02 06:00:00+00'";
            var pruned = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            var lo = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            var hi = new DateTimeOffset(2025, 3, 2, 6, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            var matching = expected.Count(r => long.Parse(r.Split('|')[2], CultureInfo.InvariantCulture) is var t && t >= lo && t < hi);
            Assert.True(matching > 0);
            Assert.Equal(matching, pruned);
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), duck.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task StringsBeyondTheBasicPlane_DuckDbFindsEveryRow()
    {
        // UTF-16 and UTF-8 order disagree for U+E000–U+FFFF against characters beyond U+FFFF: footer statistics in
        // the wrong order would make a reader that prunes by them skip rows.
        var table = DeltaTable.OpenLocal(_root);
        await table.CreateIfAbsentAsync(Schema, ["day"]);
        var snapshot = await table.GetSnapshotAsync();
        string[] names = ["\uFF21", "\U0001F600", "b", "\uFFFD", "\U0001F680 rocket"];
        var n = names.Length;
        var add = await DataFiles.WriteAsync(table, snapshot, new Dictionary<string, string?> { ["day"] = "2025-03-01" }, [new LongVector([.. Enumerable.Range(0, n).Select(i => (long)i)]), new StringVector(names), new TimestampVector(new long[n]), new DoubleVector(new double[n])]);
        await table.StartTransaction(snapshot).Add(add).CommitAsync();
        var file = Assert.Single(TableReader.LocateFiles(table, await table.GetSnapshotAsync()));
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        foreach (var name in names)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM read_parquet('{file}') WHERE name = $1";
            command.Parameters.Add(new DuckDBParameter(name));
            Assert.Equal(1L, Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task CrashBetweenDataFilesAndCommit_LeavesNothingVisible()
    {
        var store = new InMemoryObjectStore();
        var table = DeltaTable.Open(store, "t");
        await table.CreateIfAbsentAsync(Schema, ["day"]);
        var snapshot = await table.GetSnapshotAsync();
        var add = await DataFiles.WriteAsync(table, snapshot, new Dictionary<string, string?> { ["day"] = "2025-03-01" }, [new LongVector([1]), new StringVector(["a"]), new TimestampVector([0]), new DoubleVector([1.0])]);

        // The process dies here: the data file exists, the commit does not.
        Assert.NotNull(await store.ReadAsync(DeltaPaths.KeyOf(add.Path)));
        var reopened = DeltaTable.Open(store, "t");
        var after = await reopened.GetSnapshotAsync();
        Assert.Equal(0, after.Version);
        Assert.Empty(await TableReader.ReadAllAsync(reopened, after));
    }

    [Fact]
    public async Task AddedColumn_OldFilesReadItAsNull()
    {
        var table = DeltaTable.OpenLocal(_root);
        await table.CreateIfAbsentAsync(Schema, ["day"]);
        var v0 = await table.GetSnapshotAsync();
        var day = new Dictionary<string, string?> { ["day"] = "2025-03-01" };
        await table.StartTransaction(v0).Add(await DataFiles.WriteAsync(table, v0, day, [new LongVector([1]), new StringVector(["a"]), new TimestampVector([0]), new DoubleVector([1.0])])).CommitAsync();

        var v1 = await table.GetSnapshotAsync();
        var evolved = new StructType([.. Schema.Fields, new StructField("channel", PrimitiveType.String)]);
        var txn = table.StartTransaction(v1).UpdateMetadata(v1.Metadata with { SchemaString = evolved.ToJson() });
        var evolvedSnapshot = await table.GetSnapshotAsync();
        Assert.Equal(Schema, evolvedSnapshot.Schema); // not committed yet
        await txn.CommitAsync();
        var v2 = await table.GetSnapshotAsync();
        await table.StartTransaction(v2).Add(await DataFiles.WriteAsync(table, v2, day, [new LongVector([2]), new StringVector(["b"]), new TimestampVector([0]), new DoubleVector([2.0]), new StringVector(["email"])])).CommitAsync();

        var rows = (await TableReader.ReadAllAsync(table, await table.GetSnapshotAsync())).OrderBy(r => (long)r[0]!).ToList();
        Assert.Equal(["id", "name", "ts", "amount", "day", "channel"], (await table.GetSnapshotAsync()).Schema.Fields.Select(f => f.Name));
        Assert.Null(rows[0][5]);
        Assert.Equal("email", rows[1][5]);
    }

    private static string Row(long id, string? name, long tsMs, double? amount, string day) =>
        string.Create(CultureInfo.InvariantCulture, $"{id}|{name ?? "<null>"}|{tsMs}|{(amount is null ? "<null>" : amount.Value.ToString("R", CultureInfo.InvariantCulture))}|{day}");
}
