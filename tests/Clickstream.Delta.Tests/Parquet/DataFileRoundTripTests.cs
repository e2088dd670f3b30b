using Clickstream.Delta.Parquet;
using Clickstream.Delta.Types;
using Parquet;

namespace Clickstream.Delta.Tests.Parquet;

public sealed class DataFileRoundTripTests
{
    private static readonly StructType AllTypes = new(
    [
        new("s", PrimitiveType.String),
        new("l", PrimitiveType.Long),
        new("i", PrimitiveType.Integer),
        new("d", PrimitiveType.Double),
        new("f", PrimitiveType.Float),
        new("b", PrimitiveType.Boolean),
        new("day", PrimitiveType.Date),
        new("ts", PrimitiveType.Timestamp),
    ]);

    [Fact]
    public async Task WriteAsync_EveryColumnTypeWithNulls_ReadsBackTheSameValues()
    {
        const int Rows = 1_000;
        var strings = new string?[Rows];
        var longs = new long[Rows];
        var ints = new int[Rows];
        var doubles = new double[Rows];
        var floats = new float[Rows];
        var bools = new bool[Rows];
        var days = new int[Rows];
        var micros = new long[Rows];
        var nulls = new bool[Rows];
        for (var i = 0; i < Rows; i++)
        {
            nulls[i] = i % 7 == 3;
            strings[i] = i % 11 == 5 ? null : i % 13 == 0 ? "" : $"value-{i}-ü-😀";
            longs[i] = (i * 1_000_003L) - 5_000_000_000L;
            ints[i] = (i * 7919) - 3_000_000;
            doubles[i] = i == 17 ? double.NaN : (i * 1.25) - 400.5;
            floats[i] = (i * 0.5f) - 10f;
            bools[i] = i % 3 == 0;
            days[i] = (i * 37) - 20_000; // 1915..2071
            micros[i] = ((i * 86_400_123L) - 40_000_000_000L) * 1000; // whole milliseconds, before and after 1970
        }

        var file = await DataFileWriter.WriteAsync(AllTypes,
        [
            new StringVector(strings), new LongVector(longs, nulls), new IntegerVector(ints, nulls), new DoubleVector(doubles, nulls),
            new FloatVector(floats, nulls), new BooleanVector(bools, nulls), new DateVector(days, nulls), new TimestampVector(micros, nulls),
        ]);

        Assert.Equal(Rows, file.RecordCount);
        var rows = await DataFileReader.ReadAsync(file.Content, AllTypes);
        Assert.Equal(Rows, rows.Count);
        for (var i = 0; i < Rows; i++)
        {
            var row = rows[i];
            Assert.Equal(strings[i], row[0]);
            if (nulls[i])
            {
                Assert.All(row[1..], Assert.Null);
                continue;
            }

            Assert.Equal(longs[i], Assert.IsType<long>(row[1]));
            Assert.Equal(ints[i], Assert.IsType<int>(row[2]));
            Assert.Equal(doubles[i], Assert.IsType<double>(row[3]));
            Assert.Equal(floats[i], Assert.IsType<float>(row[4]));
            Assert.Equal(bools[i], Assert.IsType<bool>(row[5]));
            Assert.Equal(DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(days[i])), Assert.IsType<DateOnly>(row[6]));
            var ts = Assert.IsType<DateTimeOffset>(row[7]);
            Assert.Equal(TimeSpan.Zero, ts.Offset);
            Assert.Equal(micros[i] / 1000, ts.ToUnixTimeMilliseconds());
        }
    }

    [Fact]
    public async Task WriteAsync_NoRows_WritesAReadableFileWithoutRowGroups()
    {
        var file = await DataFileWriter.WriteAsync(AllTypes,
        [
            new StringVector([]), new LongVector([]), new IntegerVector([]), new DoubleVector([]),
            new FloatVector([]), new BooleanVector([]), new DateVector([]), new TimestampVector([]),
        ]);

        Assert.Equal(0, file.RecordCount);
        Assert.Empty(await DataFileReader.ReadAsync(file.Content, AllTypes));
        Assert.Equal(0, await DataFileReader.ReadRowCountAsync(file.Content));
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file.Content));
        Assert.Equal(0, reader.RowGroupCount);
        Assert.Equal(AllTypes.Fields.Select(f => f.Name), reader.Schema.Fields.Select(f => f.Name));
    }

    [Fact]
    public async Task WriteAsync_PooledOversizedBuffers_WritesOnlyTheFirstLengthRows()
    {
        var schema = new StructType([new("s", PrimitiveType.String), new("l", PrimitiveType.Long)]);
        var strings = new string?[] { "a", null, "c", "garbage", "garbage" };
        var longs = new long[] { 1, 2, 3, 99, 99 };
        var nulls = new bool[] { false, false, true, true, true, true };

        var file = await DataFileWriter.WriteAsync(schema, [new StringVector(strings, 3), new LongVector(longs, nulls, 3)]);

        var rows = await DataFileReader.ReadAsync(file.Content, schema);
        Assert.Equal(3, file.RecordCount);
        Assert.Equal([["a", 1L], [null, 2L], ["c", null]], rows);
    }

    [Fact]
    public async Task WriteAsync_MoreRowsThanARowGroup_SplitsIntoRowGroupsAndKeepsOrder()
    {
        var schema = new StructType([new("id", PrimitiveType.Long), new("name", PrimitiveType.String)]);
        var ids = Enumerable.Range(0, 1_050).Select(i => (long)i).ToArray();
        var names = ids.Select(i => i % 10 == 0 ? null : "n" + i).ToArray();

        var file = await DataFileWriter.WriteAsync(schema, [new LongVector(ids), new StringVector(names)], new DataFileWriterOptions { MaxRowsPerRowGroup = 100 });

        await using (var reader = await ParquetReader.CreateAsync(new MemoryStream(file.Content)))
        {
            Assert.Equal(11, reader.RowGroupCount);
            Assert.Equal(50, reader.OpenRowGroupReader(10).RowCount);
        }

        var rows = await DataFileReader.ReadAsync(file.Content, schema);
        Assert.Equal(ids, rows.Select(r => (long)r[0]!));
        Assert.Equal(names, rows.Select(r => (string?)r[1]));
    }

    [Theory]
    [InlineData(1_500L, 1L)]
    [InlineData(999L, 0L)]
    [InlineData(-1L, -1L)]
    [InlineData(-1_000L, -1L)]
    [InlineData(-1_001L, -2L)]
    [InlineData(1_740_787_259_998_999L, 1_740_787_259_998L)]
    public async Task WriteAsync_SubMillisecondTimestamp_TruncatesTowardNegativeInfinity(long micros, long expectedMillis)
    {
        var schema = new StructType([new("ts", PrimitiveType.Timestamp)]);

        var file = await DataFileWriter.WriteAsync(schema, [new TimestampVector([micros])]);

        var value = Assert.IsType<DateTimeOffset>((await DataFileReader.ReadAsync(file.Content, schema))[0][0]);
        Assert.Equal(expectedMillis, value.ToUnixTimeMilliseconds());
        Assert.Equal(0, value.Ticks % TimeSpan.TicksPerMillisecond);
    }

    [Fact]
    public async Task WriteAsync_ColumnsThatDoNotMatchTheSchema_Throw()
    {
        var schema = new StructType([new("a", PrimitiveType.Long), new("b", PrimitiveType.String)]);

        await Assert.ThrowsAsync<ArgumentException>(() => DataFileWriter.WriteAsync(schema, [new LongVector([1])]));
        await Assert.ThrowsAsync<ArgumentException>(() => DataFileWriter.WriteAsync(schema, [new IntegerVector([1]), new StringVector(["x"])]));
        await Assert.ThrowsAsync<ArgumentException>(() => DataFileWriter.WriteAsync(schema, [new LongVector([1, 2]), new StringVector(["x"])]));
        await Assert.ThrowsAsync<ArgumentException>(() => DataFileWriter.WriteAsync(schema, [new LongVector([1]), new StringVector(["x"])], new DataFileWriterOptions { DictionaryColumns = ["a"] }));
        await Assert.ThrowsAsync<ArgumentException>(() => DataFileWriter.WriteAsync(schema, [new LongVector([1]), new StringVector(["x"])], new DataFileWriterOptions { DictionaryColumns = ["missing"] }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => DataFileWriter.WriteAsync(schema, [new LongVector([1]), new StringVector(["x"])], new DataFileWriterOptions { MaxRowsPerRowGroup = 0 }));
    }

    [Fact]
    public void Vectors_BuffersShorterThanTheLength_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LongVector([1, 2], null, 3));
        Assert.Throws<ArgumentException>(() => new LongVector([1, 2, 3], [false], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StringVector(["a"], 2));
        Assert.Throws<ArgumentNullException>(() => new TimestampVector(null!));
    }

    [Fact]
    public void Vectors_IsNull_FollowsTheMaskOrTheNullEntries()
    {
        var longs = new LongVector([1, 2, 3], [false, true, false]);
        var strings = new StringVector(["a", null]);

        Assert.Equal([false, true, false], Enumerable.Range(0, 3).Select(longs.IsNull));
        Assert.Equal([false, true], Enumerable.Range(0, 2).Select(strings.IsNull));
        Assert.False(new LongVector([5]).IsNull(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => longs.IsNull(3));
    }
}
