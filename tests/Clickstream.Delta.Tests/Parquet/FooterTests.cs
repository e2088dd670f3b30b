using Clickstream.Delta.Parquet;
using Clickstream.Delta.Types;
using Parquet;
using Parquet.Meta;

namespace Clickstream.Delta.Tests.Parquet;

/// <summary>The physical layout of written data files, read from the footer by Parquet.Net and by DuckDB.</summary>
public sealed class FooterTests : IDisposable
{
    private static readonly StructType Schema = new(
    [
        new("event_id", PrimitiveType.String),
        new("event_time", PrimitiveType.Timestamp),
        new("event_type", PrimitiveType.String),
        new("event_day", PrimitiveType.Date),
        new("price", PrimitiveType.Double),
        new("quantity", PrimitiveType.Long),
        new("position", PrimitiveType.Integer),
        new("is_bot", PrimitiveType.Boolean),
        new("score", PrimitiveType.Float),
    ]);

    private readonly ScratchFolder _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task WriteAsync_Timestamp_IsInt64TimestampMillisAdjustedToUtc()
    {
        var file = await WriteSampleAsync();

        var element = await SchemaElementAsync(file, "event_time");
        Assert.Equal(global::Parquet.Meta.Type.INT64, element.Type);
        Assert.NotNull(element.LogicalType?.TIMESTAMP);
        Assert.True(element.LogicalType!.TIMESTAMP!.IsAdjustedToUTC);
        Assert.NotNull(element.LogicalType.TIMESTAMP.Unit.MILLIS);
        Assert.Null(element.LogicalType.TIMESTAMP.Unit.MICROS);

        using var duck = ParquetTestFiles.OpenDuckDb();
        var row = Assert.Single(duck.Rows($"SELECT type, logical_type, duckdb_type FROM parquet_schema({ParquetTestFiles.Sql(_scratch.Write("f.parquet", file))}) WHERE name = 'event_time'"));
        Assert.Equal("INT64", row[0]);
        Assert.Contains("isAdjustedToUTC=1", (string)row[1]!, StringComparison.Ordinal);
        Assert.Contains("MILLIS=MilliSeconds()", (string)row[1]!, StringComparison.Ordinal);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", row[2]);
    }

    [Fact]
    public async Task WriteAsync_EveryColumn_OptionalWithTheProtocolsPhysicalType()
    {
        var path = _scratch.Write("f.parquet", await WriteSampleAsync());

        using var duck = ParquetTestFiles.OpenDuckDb();
        var columns = duck.Rows($"SELECT name, type, repetition_type, logical_type FROM parquet_schema({ParquetTestFiles.Sql(path)}) WHERE name <> 'root' ORDER BY column_id")
            .ToDictionary(r => (string)r[0]!, r => (Type: (string?)r[1], Repetition: (string?)r[2], Logical: (string?)r[3] ?? ""));
        Assert.Equal(Schema.Fields.Select(f => f.Name), columns.Keys);
        Assert.All(columns.Values, c => Assert.Equal("OPTIONAL", c.Repetition));
        Assert.Equal(("BYTE_ARRAY", "StringType()"), (columns["event_id"].Type, columns["event_id"].Logical));
        Assert.Equal(("INT32", "DateType()"), (columns["event_day"].Type, columns["event_day"].Logical));
        Assert.Equal("DOUBLE", columns["price"].Type);
        Assert.Equal("INT64", columns["quantity"].Type);
        Assert.Equal("INT32", columns["position"].Type);
        Assert.Equal("BOOLEAN", columns["is_bot"].Type);
        Assert.Equal("FLOAT", columns["score"].Type);
    }

    [Fact]
    public async Task WriteAsync_EveryColumnChunk_SnappyWithVersion1DataPages()
    {
        var file = await WriteSampleAsync();

        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
        Assert.True(reader.RowGroupCount > 1);
        var chunks = reader.Metadata!.RowGroups.SelectMany(g => g.Columns).ToList();
        Assert.Equal(reader.RowGroupCount * Schema.Fields.Count, chunks.Count);
        foreach (var chunk in chunks)
        {
            Assert.Equal(CompressionCodec.SNAPPY, chunk.MetaData!.Codec);

            // A Thrift PageHeader starts with field 1 (type, i32): 0x15, then the zigzag varint of the page type:
            // DATA_PAGE (V1) 0, DICTIONARY_PAGE 2 (0x04), DATA_PAGE_V2 3 (0x06). Parquet.Net points data_page_offset
            // at the start of the chunk, which is the dictionary page when there is one.
            var offset = checked((int)chunk.MetaData.DataPageOffset);
            var dictionary = chunk.MetaData.PathInSchema.SequenceEqual(["event_type"]);
            Assert.Equal(0x15, file[offset]);
            Assert.Equal(dictionary ? 0x04 : 0x00, file[offset + 1]);
        }

        using var duck = ParquetTestFiles.OpenDuckDb();
        var codecs = duck.Rows($"SELECT DISTINCT compression FROM parquet_metadata({ParquetTestFiles.Sql(_scratch.Write("f.parquet", file))})");
        Assert.Equal("SNAPPY", Assert.Single(Assert.Single(codecs)));
    }

    [Fact]
    public async Task WriteAsync_DictionaryColumns_DictionaryEncodedAndOthersPlain()
    {
        var path = _scratch.Write("f.parquet", await WriteSampleAsync());

        using var duck = ParquetTestFiles.OpenDuckDb();
        var chunks = duck.Rows($"SELECT path_in_schema, encodings FROM parquet_metadata({ParquetTestFiles.Sql(path)})");
        Assert.Equal(3 * Schema.Fields.Count, chunks.Count);
        foreach (var chunk in chunks)
        {
            var encodings = (string)chunk[1]!;
            if ((string)chunk[0]! == "event_type")
            {
                Assert.Contains("PLAIN_DICTIONARY", encodings, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain("DICTIONARY", encodings, StringComparison.Ordinal);
            }
        }

        // And DuckDB decodes the dictionary pages to the same values.
        var types = duck.Rows($"SELECT event_type, count(*) FROM read_parquet({ParquetTestFiles.Sql(path)}) GROUP BY 1 ORDER BY 1");
        Assert.Equal(["add_to_cart", "page_view", "purchase"], types.Select(r => (string)r[0]!));
        Assert.Equal(3_000, types.Sum(r => Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>3,000 rows in three row groups, <c>event_type</c> dictionary-encoded.</summary>
    private static async Task<byte[]> WriteSampleAsync()
    {
        const int Rows = 3_000;
        string[] types = ["page_view", "add_to_cart", "purchase"];
        var file = await DataFileWriter.WriteAsync(Schema,
        [
            new StringVector([.. Enumerable.Range(0, Rows).Select(i => Guid.NewGuid().ToString())]),
            new TimestampVector([.. Enumerable.Range(0, Rows).Select(i => 1_740_787_200_000_000L + (i * 1_000_000L))]),
            new StringVector([.. Enumerable.Range(0, Rows).Select(i => types[i % 3])]),
            new DateVector([.. Enumerable.Range(0, Rows).Select(_ => 20_148)]),
            new DoubleVector([.. Enumerable.Range(0, Rows).Select(i => i * 0.01)]),
            new LongVector([.. Enumerable.Range(0, Rows).Select(i => (long)i)]),
            new IntegerVector([.. Enumerable.Range(0, Rows)]),
            new BooleanVector([.. Enumerable.Range(0, Rows).Select(i => i % 2 == 0)]),
            new FloatVector([.. Enumerable.Range(0, Rows).Select(i => i * 0.5f)]),
        ], new DataFileWriterOptions { DictionaryColumns = ["EVENT_TYPE"], MaxRowsPerRowGroup = 1_000 });
        return file.Content;
    }

    private static async Task<SchemaElement> SchemaElementAsync(byte[] file, string name)
    {
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
        return reader.Metadata!.Schema.Single(e => e.Name == name);
    }
}
