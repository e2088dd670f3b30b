using Clickstream.Delta.Parquet;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Tests.Parquet;

/// <summary>Data files Spark wrote for the golden tables, read with the expected contents of their README.</summary>
public sealed class GoldenDataFileTests
{
    private static readonly StructType Primitives = StructType.FromJson(
        """{"type":"struct","fields":[{"name":"as_int","type":"integer","nullable":true,"metadata":{}},{"name":"as_long","type":"long","nullable":true,"metadata":{}},{"name":"as_byte","type":"byte","nullable":true,"metadata":{}},{"name":"as_short","type":"short","nullable":true,"metadata":{}},{"name":"as_boolean","type":"boolean","nullable":true,"metadata":{}},{"name":"as_float","type":"float","nullable":true,"metadata":{}},{"name":"as_double","type":"double","nullable":true,"metadata":{}},{"name":"as_string","type":"string","nullable":true,"metadata":{}},{"name":"as_binary","type":"binary","nullable":true,"metadata":{}},{"name":"as_big_decimal","type":"decimal(1,0)","nullable":true,"metadata":{}}]}""");

    private static readonly StructType TimestampTable = new([new("id", PrimitiveType.Integer), new("time", PrimitiveType.Timestamp)]);

    [Fact]
    public async Task ReadAsync_DataReaderPrimitives_ElevenRowsOfEveryPrimitiveType()
    {
        var rows = new List<object?[]>();
        foreach (var prefix in new[] { "part-00000-4f2f0b9f", "part-00001-09e47b80" })
        {
            rows.AddRange(await DataFileReader.ReadAsync(ParquetTestFiles.GoldenFile("data-reader-primitives", prefix), Primitives));
        }

        Assert.Equal(11, rows.Count);
        Assert.Single(rows, r => r.All(v => v is null));
        var values = rows.Where(r => r[0] is not null).OrderBy(r => (int)r[0]!).ToList();
        Assert.Equal(10, values.Count);
        for (var i = 0; i < 10; i++)
        {
            var row = values[i];
            Assert.Equal(i, Assert.IsType<int>(row[0]));
            Assert.Equal((long)i, Assert.IsType<long>(row[1]));
            Assert.Equal((sbyte)i, Assert.IsType<sbyte>(row[2]));
            Assert.Equal((short)i, Assert.IsType<short>(row[3]));
            Assert.Equal(i % 2 == 0, Assert.IsType<bool>(row[4]));
            Assert.Equal((float)i, Assert.IsType<float>(row[5]));
            Assert.Equal((double)i, Assert.IsType<double>(row[6]));
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.IsType<string>(row[7]));
            Assert.Equal(new[] { (byte)i, (byte)i }, Assert.IsType<byte[]>(row[8]));
            Assert.Equal((decimal)i, Assert.IsType<decimal>(row[9]));
        }
    }

    [Theory]
    [InlineData("kernel-timestamp-TIMESTAMP_MICROS")]
    [InlineData("kernel-timestamp-INT96")]
    public async Task ReadAsync_KernelTimestamps_MicrosecondExactUtcInstants(string table)
    {
        var expected = new Dictionary<int, long?>
        {
            [0] = 1_580_544_550_000_000,
            [1] = 915_181_200_000_000,
            [2] = 946_717_200_000_000,
            [3] = -31_536_000_000_000,
            [4] = null,
        };
        var actual = new Dictionary<int, long?>();
        foreach (var file in Directory.GetFiles(ParquetTestFiles.Golden(table), "*.parquet", SearchOption.AllDirectories))
        {
            foreach (var row in await DataFileReader.ReadAsync(await File.ReadAllBytesAsync(file), TimestampTable))
            {
                var time = (DateTimeOffset?)row[1];
                Assert.True(time is null || time.Value.Offset == TimeSpan.Zero);
                actual.Add((int)row[0]!, time is { } t ? (t - DateTimeOffset.UnixEpoch).Ticks / 10 : null);
            }
        }

        Assert.Equal(expected.OrderBy(kv => kv.Key), actual.OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task ReadAsync_PartitionValuesTableDataColumns_NestedListStructAndStruct()
    {
        var schema = StructType.FromJson(
            """{"type":"struct","fields":[{"name":"as_list_of_records","type":{"type":"array","elementType":{"type":"struct","fields":[{"name":"val","type":"integer","nullable":true,"metadata":{}}]},"containsNull":true},"nullable":true,"metadata":{}},{"name":"as_nested_struct","type":{"type":"struct","fields":[{"name":"aa","type":"string","nullable":true,"metadata":{}},{"name":"ab","type":"string","nullable":true,"metadata":{}},{"name":"ac","type":{"type":"struct","fields":[{"name":"aca","type":"integer","nullable":true,"metadata":{}},{"name":"acb","type":"long","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},{"name":"value","type":"string","nullable":true,"metadata":{}}]}""");
        var rows = new List<object?[]>();
        foreach (var file in Directory.GetFiles(ParquetTestFiles.Golden("data-reader-partition-values"), "*.parquet", SearchOption.AllDirectories))
        {
            rows.AddRange(await DataFileReader.ReadAsync(await File.ReadAllBytesAsync(file), schema));
        }

        Assert.Equal(3, rows.Count);
        foreach (var i in new[] { 0, 1, 2 })
        {
            var text = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var row = Assert.Single(rows, r => (string?)r[2] == text);
            var list = Assert.IsType<object?[]>(row[0]);
            Assert.Equal(3, list.Length);
            Assert.All(list, element => Assert.Equal(new object?[] { i }, Assert.IsType<object?[]>(element)));
            Assert.Equal(new object?[] { text, text, new object?[] { i, (long)i } }, Assert.IsType<object?[]>(row[1]));
        }
    }

    [Fact]
    public async Task ReadAsync_DataSkippingAllTypes_DateInt96TimestampAndDecimal()
    {
        var schema = StructType.FromJson(
            """{"type":"struct","fields":[{"name":"as_int","type":"integer","nullable":true,"metadata":{}},{"name":"as_long","type":"long","nullable":true,"metadata":{}},{"name":"as_byte","type":"byte","nullable":true,"metadata":{}},{"name":"as_short","type":"short","nullable":true,"metadata":{}},{"name":"as_float","type":"float","nullable":true,"metadata":{}},{"name":"as_double","type":"double","nullable":true,"metadata":{}},{"name":"as_string","type":"string","nullable":true,"metadata":{}},{"name":"as_date","type":"date","nullable":true,"metadata":{}},{"name":"as_timestamp","type":"timestamp","nullable":true,"metadata":{}},{"name":"as_big_decimal","type":"decimal(1,0)","nullable":true,"metadata":{}}]}""");

        var row = Assert.Single(await DataFileReader.ReadAsync(ParquetTestFiles.GoldenFile("data-skipping-basic-stats-all-types", "part-00001-93fc8b78"), schema));

        Assert.Equal([0, 0L, (sbyte)0, (short)0, 0f, 0d, "0", new DateOnly(2000, 1, 1), new DateTimeOffset(2000, 1, 1, 8, 0, 0, TimeSpan.Zero), 0m], row);
    }

    [Fact]
    public async Task ReadAsync_FileWithoutANewColumn_ReadsItAsNull()
    {
        var schema = new StructType([new("id", PrimitiveType.Long), new("part", PrimitiveType.Long)]);
        var rows = new List<object?[]>();
        foreach (var file in Directory.GetFiles(ParquetTestFiles.Golden("time-travel-schema-changes-b"), "*.parquet"))
        {
            rows.AddRange(await DataFileReader.ReadAsync(await File.ReadAllBytesAsync(file), schema));
        }

        Assert.Equal(20, rows.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), rows.Select(r => (long)r[0]!).Order());
        Assert.All(rows, r => Assert.Equal((long)r[0]! < 10 ? null : r[0], r[1]));
    }

    [Fact]
    public async Task ReadAsync_ZeroRowFileWrittenByDelete_NoRows()
    {
        var schema = new StructType([new("col1", PrimitiveType.Integer), new("col2", PrimitiveType.String)]);
        var file = ParquetTestFiles.GoldenFile("snapshot-data2-deleted", "part-00000-d83dafd8");

        Assert.Empty(await DataFileReader.ReadAsync(file, schema));
        Assert.Equal(0, await DataFileReader.ReadRowCountAsync(file));
        Assert.Empty(await DataFileReader.ReadColumnAsync(file, schema.Fields[1]));
    }

    [Fact]
    public async Task ReadAsync_SnapshotData2Deleted_LatestFilesHoldData3()
    {
        // The three live files of version 4 (README table 2): 20 rows (i, "data-3-i").
        var schema = new StructType([new("col1", PrimitiveType.Integer), new("col2", PrimitiveType.String)]);
        var rows = new List<object?[]>();
        foreach (var prefix in new[] { "part-00000-cb078bc1", "part-00001-9bf4b8f8", "part-00000-d83dafd8" })
        {
            rows.AddRange(await DataFileReader.ReadAsync(ParquetTestFiles.GoldenFile("snapshot-data2-deleted", prefix), schema));
        }

        Assert.Equal(
            Enumerable.Range(0, 20).Select(i => $"{i}:data-3-{i}"),
            rows.Select(r => $"{r[0]}:{r[1]}").OrderBy(s => int.Parse(s.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture)));
    }
}
