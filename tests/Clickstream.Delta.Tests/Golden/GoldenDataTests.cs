using System.Globalization;
using Clickstream.Delta.Table;

namespace Clickstream.Delta.Tests.Golden;

/// <summary>The golden tables' rows, read through snapshots and their live files, as the golden README states them.</summary>
public sealed class GoldenDataTests
{
    [Fact]
    public async Task SnapshotData0_TenRows()
    {
        var rows = await ReadAsync("snapshot-data0");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"{i}|data-0-{i}"), rows.Select(r => $"{r[0]}|{r[1]}").Order(StringComparer.Ordinal).OrderBy(s => int.Parse(s.Split('|')[0], CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(0, 10, "data-0-")]
    [InlineData(1, 20, "data-0-,data-1-")]
    [InlineData(2, 10, "data-2-")]
    [InlineData(3, 30, "data-2-,data-3-")]
    [InlineData(4, 20, "data-3-")]
    public async Task SnapshotData2Deleted_TimeTravel(long version, int count, string prefixes)
    {
        var rows = await ReadAsync("snapshot-data2-deleted", version);
        Assert.Equal(count, rows.Count);
        var allowed = prefixes.Split(',');
        Assert.All(rows, r => Assert.Contains(allowed, p => ((string)r[1]!).StartsWith(p, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task BasicWithInsertsDeletesCheckpoint_41Ids()
    {
        var ids = (await ReadAsync("basic-with-inserts-deletes-checkpoint")).Select(r => (long)r[0]!).Order();
        var expected = new[] { 0, 10, 20, 30, 40 }.SelectMany(s => Enumerable.Range(s, 5)).Concat(Enumerable.Range(50, 16)).Select(i => (long)i);
        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task MultiPartCheckpoint_31Rows()
    {
        var ids = (await ReadAsync("multi-part-checkpoint")).Select(r => (long)r[0]!).Order().ToList();
        Assert.Equal(new long[] { 0 }.Concat(Enumerable.Range(0, 30).Select(i => (long)i)).Order(), ids);
    }

    [Fact]
    public async Task SchemaChange_OldFilesReadTheNewColumnAsNull()
    {
        var rows = (await ReadAsync("time-travel-schema-changes-b")).OrderBy(r => (long)r[0]!).ToList();
        Assert.Equal(20, rows.Count);
        Assert.All(rows.Take(10), r => Assert.Null(r[1]));
        Assert.All(rows.Skip(10), r => Assert.Equal(r[0], r[1]));
        var v0 = await ReadAsync("time-travel-schema-changes-b", 0);
        Assert.Equal(10, v0.Count);
        Assert.All(v0, r => Assert.Single(r));
    }

    [Fact]
    public async Task EscapedChars_PartitionValuesFromTheLog()
    {
        var rows = (await ReadAsync("data-reader-escaped-chars")).Select(r => $"{r[0]}|{r[1]}").Order(StringComparer.Ordinal);
        Assert.Equal(["foo1|bar+%21", "foo2|bar+%22", "foo3|bar+%23"], rows);
    }

    [Fact]
    public async Task PartitionValues_TypedAndNull()
    {
        var table = GoldenTables.Open("data-reader-partition-values");
        var snapshot = await table.GetSnapshotAsync();
        var rows = await TableReader.ReadAllAsync(table, snapshot);
        Assert.Equal(3, rows.Count);
        int Col(string name) => snapshot.Schema.IndexOf(name);
        var nullRow = Assert.Single(rows, r => r[Col("as_int")] is null);
        foreach (var c in snapshot.PartitionColumns)
        {
            Assert.Null(nullRow[Col(c)]);
        }

        Assert.Equal("2", nullRow[Col("value")]);
        foreach (var i in new[] { 0, 1 })
        {
            var row = Assert.Single(rows, r => r[Col("as_int")] is int v && v == i);
            Assert.Equal((long)i, row[Col("as_long")]);
            Assert.Equal((sbyte)i, row[Col("as_byte")]);
            Assert.Equal((short)i, row[Col("as_short")]);
            Assert.Equal(i % 2 == 0, row[Col("as_boolean")]);
            Assert.Equal((float)i, row[Col("as_float")]);
            Assert.Equal((double)i, row[Col("as_double")]);
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), row[Col("as_string")]);
            Assert.Equal("null", row[Col("as_string_lit_null")]);
            Assert.Equal(new DateOnly(2021, 9, 8), row[Col("as_date")]);
            Assert.Equal((decimal)i, row[Col("as_big_decimal")]);
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), row[Col("value")]);
        }
    }

    [Fact]
    public async Task TimestampMicrosAndInt96_SameValues()
    {
        var expected = new long?[] { 1580544550000000, 915181200000000, 946717200000000, -31536000000000, null };
        foreach (var name in new[] { "kernel-timestamp-TIMESTAMP_MICROS", "kernel-timestamp-INT96" })
        {
            var table = GoldenTables.Open(name);
            var snapshot = await table.GetSnapshotAsync();
            var rows = (await TableReader.ReadAllAsync(table, snapshot)).OrderBy(r => (int)r[snapshot.Schema.IndexOf("id")]!).ToList();
            var times = rows.Select(r => r[snapshot.Schema.IndexOf("time")] is DateTimeOffset t ? (long?)((t - DateTimeOffset.UnixEpoch).Ticks / 10) : null);
            Assert.Equal(expected, times);
            var part = rows.Select(r => r[snapshot.Schema.IndexOf("part")] is DateTimeOffset t ? (long?)((t - DateTimeOffset.UnixEpoch).Ticks / 10) : null);
            Assert.Equal(new long?[] { 1577866150001000, 1633075760000000, 1633075760000000, -31536000000000, null }, part);
        }
    }

    [Fact]
    public async Task Primitives_ElevenRows()
    {
        var rows = await ReadAsync("data-reader-primitives");
        Assert.Equal(11, rows.Count);
        Assert.Single(rows, r => r.All(v => v is null));
        var row3 = Assert.Single(rows, r => r[0] is int v && v == 3);
        Assert.Equal(new object?[] { 3, 3L, (sbyte)3, (short)3, false, 3f, 3d, "3" }, row3.Take(8));
        Assert.Equal(new byte[] { 3, 3 }, row3[8]);
        Assert.Equal(3m, row3[9]);
    }

    [Fact]
    public async Task StatsAllTypes_OrphanFileIsNotRead()
    {
        var rows = await ReadAsync("data-skipping-basic-stats-all-types");
        Assert.Single(rows);
    }

    private static async Task<List<object?[]>> ReadAsync(string name, long? version = null)
    {
        var table = GoldenTables.Open(name);
        return await TableReader.ReadAllAsync(table, await table.GetSnapshotAsync(version));
    }
}
