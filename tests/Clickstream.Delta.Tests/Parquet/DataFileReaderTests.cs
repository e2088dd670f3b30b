using Clickstream.Delta.Parquet;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Tests.Parquet;

/// <summary>Reading files another engine (DuckDB) wrote: decimals in all three layouts, nested values with nulls at every level, projection rules.</summary>
public sealed class DataFileReaderTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task ReadAsync_DecimalsAsInt32Int64AndFixedLengthBytes_ExactValues()
    {
        var file = WriteWithDuckDb(
            "SELECT * FROM (VALUES (1.25::DECIMAL(9,2), 123456789012.125::DECIMAL(18,3), 1234567890123456.1234567891::DECIMAL(38,10)), " +
            "(-0.01::DECIMAL(9,2), -1.001::DECIMAL(18,3), -0.0000000001::DECIMAL(38,10)), (NULL, NULL, NULL)) t(a, b, c)");
        var schema = new StructType([new("a", PrimitiveType.Decimal(9, 2)), new("b", PrimitiveType.Decimal(18, 3)), new("c", PrimitiveType.Decimal(38, 10))]);

        using (var duck = ParquetTestFiles.OpenDuckDb())
        {
            var types = duck.Rows($"SELECT name, type FROM parquet_schema({ParquetTestFiles.Sql(_scratch.File("duck.parquet"))}) WHERE name IN ('a', 'b', 'c') ORDER BY name");
            Assert.Equal(["INT32", "INT64", "FIXED_LEN_BYTE_ARRAY"], types.Select(t => (string)t[1]!));
        }

        var rows = await DataFileReader.ReadAsync(file, schema);

        Assert.Equal([1.25m, 123456789012.125m, 1234567890123456.1234567891m], rows[0]);
        Assert.Equal([-0.01m, -1.001m, -0.0000000001m], rows[1]);
        Assert.Equal([null, null, null], rows[2]);
    }

    [Fact]
    public async Task ReadAsync_ListsOfStructsWithNullsAtEveryLevel_AssembledExactly()
    {
        var file = WriteWithDuckDb(
            "SELECT * FROM (VALUES (1, [{'v': 1, 'w': 'a'}, NULL, {'v': NULL, 'w': 'c'}]), (2, []), (3, NULL), (4, [{'v': 7, 'w': NULL}])) t(id, l) ORDER BY id");
        var element = new StructType([new("v", PrimitiveType.Integer), new("w", PrimitiveType.String)]);
        var schema = new StructType([new("id", PrimitiveType.Integer), new("l", new ArrayType(element))]);

        var rows = await DataFileReader.ReadAsync(file, schema);

        Assert.Equal(4, rows.Count);
        Assert.Equal(new object?[] { new object?[] { 1, "a" }, null, new object?[] { null, "c" } }, rows[0][1]);
        Assert.Equal(Array.Empty<object?>(), rows[1][1]);
        Assert.Null(rows[2][1]);
        Assert.Equal(new object?[] { new object?[] { 7, null } }, rows[3][1]);
    }

    [Fact]
    public async Task ReadAsync_NestedListsAndMaps_AssembledExactly()
    {
        var file = WriteWithDuckDb(
            "SELECT * FROM (VALUES (1, [[1, 2], [], NULL, [3]], MAP {'k1': 'v1', 'k2': NULL}), (2, NULL, MAP {}::MAP(VARCHAR, VARCHAR)), (3, [[NULL]], NULL)) t(id, ll, m) ORDER BY id");
        var schema = new StructType(
        [
            new("id", PrimitiveType.Integer),
            new("ll", new ArrayType(new ArrayType(PrimitiveType.Long))),
            new("m", new MapType(PrimitiveType.String, PrimitiveType.String)),
        ]);

        var rows = await DataFileReader.ReadAsync(file, schema);

        Assert.Equal(new object?[] { new object?[] { 1L, 2L }, Array.Empty<object?>(), null, new object?[] { 3L } }, rows[0][1]);
        Assert.Equal(new Dictionary<string, object?> { ["k1"] = "v1", ["k2"] = null }, Assert.IsType<Dictionary<string, object?>>(rows[0][2]));
        Assert.Null(rows[1][1]);
        Assert.Empty(Assert.IsType<Dictionary<string, object?>>(rows[1][2]));
        Assert.Equal(new object?[] { new object?[] { null } }, rows[2][1]);
        Assert.Null(rows[2][2]);
    }

    [Fact]
    public async Task ReadAsync_StructFieldsMatchedByNameIgnoringCase_MissingFieldsNullExtraIgnored()
    {
        var file = WriteWithDuckDb(
            "SELECT * FROM (VALUES (1, {'X': 10, 'Extra': 'e', 'inner': {'Z': 'z'}}, 'ignored'), (2, NULL, 'ignored')) t(ID, st, extra_column) ORDER BY ID");
        var inner = new StructType([new("z", PrimitiveType.String), new("absent", PrimitiveType.Long)]);
        var schema = new StructType(
        [
            new("id", PrimitiveType.Long),
            new("st", new StructType([new("absent", PrimitiveType.String), new("x", PrimitiveType.Long), new("inner", inner)])),
            new("not_in_file", PrimitiveType.Timestamp),
        ]);

        var rows = await DataFileReader.ReadAsync(file, schema);

        Assert.Equal([1L, new object?[] { null, 10L, new object?[] { "z", null } }, null], rows[0]);
        Assert.Equal([2L, null, null], rows[1]);
    }

    [Fact]
    public async Task ReadAsync_StructWhoseFieldsAreAllMissing_StillTellsNullFromPresent()
    {
        var file = WriteWithDuckDb("SELECT * FROM (VALUES (1, {'a': 1}), (2, NULL), (3, {'a': NULL})) t(id, st) ORDER BY id");
        var schema = new StructType([new("id", PrimitiveType.Integer), new("st", new StructType([new("b", PrimitiveType.String)]))]);

        var rows = await DataFileReader.ReadAsync(file, schema);

        Assert.Equal(new object?[] { null }, rows[0][1]);
        Assert.Null(rows[1][1]);
        Assert.Equal(new object?[] { null }, rows[2][1]);
    }

    [Fact]
    public async Task ReadAsync_MicrosTimestampsDatesAndBinaryFromDuckDb_ExactValues()
    {
        var file = WriteWithDuckDb(
            "SELECT * FROM (VALUES (TIMESTAMPTZ '2025-03-01 00:00:00.123456+00', DATE '1969-07-20', '\\x01\\xFF'::BLOB), (NULL, NULL, NULL)) t(ts, d, b)");
        var schema = new StructType([new("ts", PrimitiveType.Timestamp), new("d", PrimitiveType.Date), new("b", PrimitiveType.Binary)]);

        var rows = await DataFileReader.ReadAsync(file, schema);

        var ts = Assert.IsType<DateTimeOffset>(rows[0][0]);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), ts);
        Assert.Equal(new DateOnly(1969, 7, 20), rows[0][1]);
        Assert.Equal(new byte[] { 0x01, 0xFF }, rows[0][2]);
        Assert.Equal([null, null, null], rows[1]);
    }

    [Fact]
    public async Task ReadAsync_IntegersWidenToTheTableType()
    {
        var file = WriteWithDuckDb("SELECT 7::INTEGER AS a, 3::SMALLINT AS b, 1.5::FLOAT AS c");
        var schema = new StructType([new("a", PrimitiveType.Long), new("b", PrimitiveType.Integer), new("c", PrimitiveType.Double)]);

        var row = Assert.Single(await DataFileReader.ReadAsync(file, schema));

        Assert.Equal([7L, 3, 1.5], row);
    }

    [Fact]
    public async Task ReadAsync_TypeThatCannotBeConverted_ThrowsDeltaFormatException()
    {
        var file = WriteWithDuckDb("SELECT 'text' AS a, [1] AS b");

        await Assert.ThrowsAsync<DeltaFormatException>(() => DataFileReader.ReadAsync(file, new StructType([new("a", PrimitiveType.Long)])));
        await Assert.ThrowsAsync<DeltaFormatException>(() => DataFileReader.ReadAsync(file, new StructType([new("b", PrimitiveType.Long)])));
        await Assert.ThrowsAsync<DeltaFormatException>(() => DataFileReader.ReadAsync(file, new StructType([new("a", new StructType([new("x", PrimitiveType.String)]))])));
    }

    [Fact]
    public async Task ReadAsync_NotParquet_ThrowsDeltaFormatException()
    {
        var schema = new StructType([new("a", PrimitiveType.Long)]);

        await Assert.ThrowsAsync<DeltaFormatException>(() => DataFileReader.ReadAsync("not a parquet file at all"u8.ToArray(), schema));
    }

    [Fact]
    public async Task ReadAsync_NonSeekableStream_ReadsTheFile()
    {
        var schema = new StructType([new("v", PrimitiveType.Long)]);
        var file = await DataFileWriter.WriteAsync(schema, [new LongVector([1, 2, 3])]);

        var rows = await DataFileReader.ReadAsync(new ForwardOnlyStream(file.Content), schema);

        Assert.Equal([1L, 2L, 3L], rows.Select(r => (long)r[0]!));
    }

    [Fact]
    public async Task ReadColumnAsync_OneColumn_ValuesInRowOrder()
    {
        var schema = new StructType([new("a", PrimitiveType.Long), new("b", PrimitiveType.String)]);
        var file = await DataFileWriter.WriteAsync(schema, [new LongVector([1, 2, 3]), new StringVector(["x", null, "z"])], new DataFileWriterOptions { MaxRowsPerRowGroup = 2 });

        Assert.Equal(["x", null, "z"], await DataFileReader.ReadColumnAsync(file.Content, schema.Fields[1]));
        Assert.Equal([null, null, null], await DataFileReader.ReadColumnAsync(file.Content, new StructField("missing", PrimitiveType.Long)));
        Assert.Equal(3, await DataFileReader.ReadRowCountAsync(file.Content));
    }

    private byte[] WriteWithDuckDb(string select)
    {
        var path = _scratch.File("duck.parquet");
        using var duck = ParquetTestFiles.OpenDuckDb();
        duck.Scalar($"COPY ({select}) TO {ParquetTestFiles.Sql(path)} (FORMAT parquet)");
        return File.ReadAllBytes(path);
    }

    /// <summary>A read-only stream that cannot seek, like a network body.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : MemoryStream(content, writable: false)
    {
        public override bool CanSeek => false;
    }
}
