using System.Text.Json;
using Clickstream.Delta.Parquet;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Tests.Parquet;

/// <summary>The per-file <c>stats</c> JSON against the rules of the protocol notes §3.</summary>
public sealed class StatsTests
{
    [Fact]
    public async Task WriteAsync_NumbersDatesTimestampsStrings_MinMaxAndNullCounts()
    {
        var schema = new StructType(
        [
            new("l", PrimitiveType.Long), new("i", PrimitiveType.Integer), new("d", PrimitiveType.Double), new("f", PrimitiveType.Float),
            new("day", PrimitiveType.Date), new("ts", PrimitiveType.Timestamp), new("s", PrimitiveType.String),
        ]);
        var nulls = new[] { false, true, false, false };

        var stats = await StatsOf(schema,
        [
            new LongVector([5, long.MinValue, -3, long.MaxValue], nulls),
            new IntegerVector([7, 100, -7, 0], nulls),
            new DoubleVector([0.1, 99, -2.5, 1e300], nulls),
            new FloatVector([1.5f, 99f, -0.25f, 3f], nulls),
            new DateVector([0, 99_999, -1, 20_148], nulls),
            new TimestampVector([1_740_787_259_998_000, 0, -1, 1_740_787_200_000_123], nulls),
            new StringVector(["b", null, "a", "c"]),
        ]);

        Assert.Equal(4, stats.GetProperty("numRecords").GetInt64());
        var min = stats.GetProperty("minValues");
        var max = stats.GetProperty("maxValues");
        Assert.Equal(-3, min.GetProperty("l").GetInt64());
        Assert.Equal(long.MaxValue, max.GetProperty("l").GetInt64());
        Assert.Equal(-7, min.GetProperty("i").GetInt32());
        Assert.Equal(7, max.GetProperty("i").GetInt32());
        Assert.Equal(-2.5, min.GetProperty("d").GetDouble());
        Assert.Equal(1e300, max.GetProperty("d").GetDouble());
        Assert.Equal(-0.25f, min.GetProperty("f").GetSingle());
        Assert.Equal(3f, max.GetProperty("f").GetSingle());
        Assert.Equal("1969-12-31", min.GetProperty("day").GetString());
        Assert.Equal("2025-03-01", max.GetProperty("day").GetString());
        Assert.Equal("1969-12-31T23:59:59.999Z", min.GetProperty("ts").GetString());
        Assert.Equal("2025-03-01T00:00:59.998Z", max.GetProperty("ts").GetString());
        Assert.Equal("a", min.GetProperty("s").GetString());
        Assert.Equal("c", max.GetProperty("s").GetString());
        var nullCount = stats.GetProperty("nullCount");
        foreach (var name in new[] { "l", "i", "d", "f", "day", "ts", "s" })
        {
            Assert.Equal(1, nullCount.GetProperty(name).GetInt64());
        }
    }

    [Fact]
    public async Task WriteAsync_JsonShape_IsNumRecordsThenMinMaxAndNullCount()
    {
        var schema = new StructType([new("id", PrimitiveType.Long)]);

        var file = await DataFileWriter.WriteAsync(schema, [new LongVector([3, 1, 2])]);

        Assert.Equal("""{"numRecords":3,"minValues":{"id":1},"maxValues":{"id":3},"nullCount":{"id":0}}""", file.Stats);
    }

    [Fact]
    public async Task WriteAsync_StringLongerThan32_MinTruncatedAndMaxLeftOut()
    {
        var schema = new StructType([new("s", PrimitiveType.String)]);
        var longest = new string('z', 40);

        var stats = await StatsOf(schema, [new StringVector([new string('a', 40), longest])]);

        Assert.Equal(new string('a', 32), stats.GetProperty("minValues").GetProperty("s").GetString());
        Assert.False(stats.GetProperty("maxValues").TryGetProperty("s", out _));
    }

    [Fact]
    public async Task WriteAsync_StringOfExactly32_KeptWhole()
    {
        var schema = new StructType([new("s", PrimitiveType.String)]);
        var value = new string('q', 32);

        var stats = await StatsOf(schema, [new StringVector([value])]);

        Assert.Equal(value, stats.GetProperty("minValues").GetProperty("s").GetString());
        Assert.Equal(value, stats.GetProperty("maxValues").GetProperty("s").GetString());
    }

    [Fact]
    public async Task WriteAsync_SurrogatePairAcrossThe32ndCharacter_MinCutBeforeThePair()
    {
        var schema = new StructType([new("s", PrimitiveType.String)]);
        var value = new string('x', 31) + "😀" + "tail"; // the pair occupies UTF-16 units 31 and 32

        var stats = await StatsOf(schema, [new StringVector([value])]);

        Assert.Equal(new string('x', 31), stats.GetProperty("minValues").GetProperty("s").GetString());
        Assert.False(stats.GetProperty("maxValues").TryGetProperty("s", out _));
    }

    [Fact]
    public async Task WriteAsync_SurrogatePairEndingAtThe32ndCharacter_MinKeepsThePair()
    {
        var schema = new StructType([new("s", PrimitiveType.String)]);
        var value = new string('x', 30) + "😀" + "tail"; // the pair is units 30 and 31

        var stats = await StatsOf(schema, [new StringVector([value])]);

        Assert.Equal(new string('x', 30) + "😀", stats.GetProperty("minValues").GetProperty("s").GetString());
    }

    [Fact]
    public async Task WriteAsync_StringsBeyondTheBasicPlane_OrderedAsUtf8()
    {
        // UTF-16 order puts the surrogate pair (0xD83D…) before U+E000; UTF-8 and Spark put U+1F600 last.
        var schema = new StructType([new("s", PrimitiveType.String)]);

        var stats = await StatsOf(schema, [new StringVector(["\uE000", "😀", "a"])]);

        Assert.Equal("a", stats.GetProperty("minValues").GetProperty("s").GetString());
        Assert.Equal("😀", stats.GetProperty("maxValues").GetProperty("s").GetString());
    }

    [Fact]
    public async Task WriteAsync_AllNullColumn_NoMinMaxButNullCount()
    {
        var schema = new StructType([new("id", PrimitiveType.Long), new("ts", PrimitiveType.Timestamp), new("s", PrimitiveType.String)]);

        var stats = await StatsOf(schema, [new LongVector([4, 5]), new TimestampVector([0, 0], [true, true]), new StringVector([null, null])]);

        Assert.Equal("""{"id":4}""", stats.GetProperty("minValues").GetRawText());
        Assert.Equal("""{"id":5}""", stats.GetProperty("maxValues").GetRawText());
        Assert.Equal(2, stats.GetProperty("nullCount").GetProperty("ts").GetInt64());
        Assert.Equal(2, stats.GetProperty("nullCount").GetProperty("s").GetInt64());
    }

    [Fact]
    public async Task WriteAsync_NaN_LeavesOutThatColumnsMinMaxOnly()
    {
        var schema = new StructType([new("d", PrimitiveType.Double), new("f", PrimitiveType.Float), new("ok", PrimitiveType.Double)]);

        var stats = await StatsOf(schema, [new DoubleVector([1, double.NaN, 3]), new FloatVector([float.NaN, 2, 3]), new DoubleVector([1, 2, 3])]);

        Assert.Equal("""{"ok":1}""", stats.GetProperty("minValues").GetRawText());
        Assert.Equal("""{"ok":3}""", stats.GetProperty("maxValues").GetRawText());
        Assert.Equal(0, stats.GetProperty("nullCount").GetProperty("d").GetInt64());
    }

    [Fact]
    public async Task WriteAsync_NaNOnlyInANullRow_DoesNotCount()
    {
        var schema = new StructType([new("d", PrimitiveType.Double)]);

        var stats = await StatsOf(schema, [new DoubleVector([1, double.NaN, 3], [false, true, false])]);

        Assert.Equal(1, stats.GetProperty("minValues").GetProperty("d").GetDouble());
        Assert.Equal(3, stats.GetProperty("maxValues").GetProperty("d").GetDouble());
    }

    [Fact]
    public async Task WriteAsync_InfiniteBound_LeavesOutOnlyThatBound()
    {
        var schema = new StructType([new("d", PrimitiveType.Double)]);

        var stats = await StatsOf(schema, [new DoubleVector([1, double.PositiveInfinity])]);

        Assert.Equal(1, stats.GetProperty("minValues").GetProperty("d").GetDouble());
        Assert.False(stats.GetProperty("maxValues").TryGetProperty("d", out _));
    }

    [Fact]
    public async Task WriteAsync_Boolean_OnlyNullCount()
    {
        var schema = new StructType([new("b", PrimitiveType.Boolean)]);

        var stats = await StatsOf(schema, [new BooleanVector([true, false, true], [false, false, true])]);

        Assert.Equal("{}", stats.GetProperty("minValues").GetRawText());
        Assert.Equal("{}", stats.GetProperty("maxValues").GetRawText());
        Assert.Equal(1, stats.GetProperty("nullCount").GetProperty("b").GetInt64());
    }

    [Fact]
    public async Task WriteAsync_FortyColumns_StatsForTheFirst32Only()
    {
        var schema = new StructType(Enumerable.Range(0, 40).Select(i => new StructField($"c{i:D2}", PrimitiveType.Long)));
        var columns = Enumerable.Range(0, 40).Select(i => (ColumnVector)new LongVector([i])).ToList();

        var stats = await StatsOf(schema, columns);

        var expected = Enumerable.Range(0, 32).Select(i => $"c{i:D2}").ToList();
        Assert.Equal(expected, stats.GetProperty("minValues").EnumerateObject().Select(p => p.Name));
        Assert.Equal(expected, stats.GetProperty("maxValues").EnumerateObject().Select(p => p.Name));
        Assert.Equal(expected, stats.GetProperty("nullCount").EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(0, 0)]
    [InlineData(-1, 5)]
    public async Task WriteAsync_NumIndexedColumns_LimitsTheColumnsWithStats(int indexed, int expected)
    {
        var schema = new StructType(Enumerable.Range(0, 5).Select(i => new StructField($"c{i}", PrimitiveType.Long)));
        var columns = Enumerable.Range(0, 5).Select(i => (ColumnVector)new LongVector([i])).ToList();

        var stats = await StatsOf(schema, columns, new DataFileWriterOptions { NumIndexedColumns = indexed });

        Assert.Equal(expected, stats.GetProperty("nullCount").EnumerateObject().Count());
        Assert.Equal(expected, stats.GetProperty("minValues").EnumerateObject().Count());
    }

    [Fact]
    public async Task WriteAsync_SeveralRowGroups_StatsCoverTheWholeFile()
    {
        var schema = new StructType([new("v", PrimitiveType.Long), new("s", PrimitiveType.String)]);
        var values = Enumerable.Range(0, 1_000).Select(i => (long)((i * 7_919) % 1_000) - 500).ToArray();
        var strings = values.Select(v => v == 0 ? null : "k" + (v + 500).ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var stats = await StatsOf(schema, [new LongVector(values), new StringVector(strings)], new DataFileWriterOptions { MaxRowsPerRowGroup = 64 });

        Assert.Equal(-500, stats.GetProperty("minValues").GetProperty("v").GetInt64());
        Assert.Equal(499, stats.GetProperty("maxValues").GetProperty("v").GetInt64());
        Assert.Equal("k0000", stats.GetProperty("minValues").GetProperty("s").GetString());
        Assert.Equal("k0999", stats.GetProperty("maxValues").GetProperty("s").GetString());
        Assert.Equal(1, stats.GetProperty("nullCount").GetProperty("s").GetInt64());
    }

    [Fact]
    public async Task WriteAsync_NoRows_ZeroRecordsAndZeroNullCounts()
    {
        var schema = new StructType([new("v", PrimitiveType.Long)]);

        var file = await DataFileWriter.WriteAsync(schema, [new LongVector([])]);

        Assert.Equal("""{"numRecords":0,"minValues":{},"maxValues":{},"nullCount":{"v":0}}""", file.Stats);
    }

    private static async Task<JsonElement> StatsOf(StructType schema, IReadOnlyList<ColumnVector> columns, DataFileWriterOptions? options = null)
    {
        var file = await DataFileWriter.WriteAsync(schema, columns, options);
        using var document = JsonDocument.Parse(file.Stats);
        return document.RootElement.Clone();
    }
}
