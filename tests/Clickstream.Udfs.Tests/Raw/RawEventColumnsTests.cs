using Clickstream.Udfs.Raw;
using static Clickstream.Udfs.Tests.Raw.RawLines;

namespace Clickstream.Udfs.Tests.Raw;

public sealed class RawEventColumnsTests
{
    [Fact]
    public void Columns_ListTheTableSchemaInOrder()
    {
        string[] expected =
        [
            "event_id", "event_type", "event_time", "user_id", "session_id", "page", "category", "device", "product_id",
            "price", "quantity", "order_id", "referrer", "user_agent", "schema_version", "client_ip", "received_at", "properties",
        ];

        Assert.Equal(expected, RawEventColumns.ColumnNames);
        Assert.Equal(expected, RawEventColumns.Columns.Select(c => c.Name));
        Assert.Equal(
            ["string", "string", "timestamp", "string", "string", "string", "string", "string", "string", "double", "long", "string", "string", "string", "integer", "string", "timestamp", "string"],
            RawEventColumns.Columns.Select(c => c.TypeName).ToArray());
        Assert.Equal(
            new[] { "event_id", "event_type", "event_time", "user_id", "session_id", "properties" },
            RawEventColumns.Columns.Where(c => !c.IsNullable).Select(c => c.Name));
    }

    [Fact]
    public void Append_PastCapacity_GrowsByDoublingAndKeepsRows()
    {
        var columns = new RawEventColumns(16);
        var extractor = new RawEventExtractor();

        for (var i = 0; i < 100; i++)
        {
            Assert.True(extractor.Append(Utf8(Line(i)), columns));
        }

        Assert.Equal(100, columns.Count);
        Assert.Equal(128, columns.Capacity);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal($"e-{i}", columns.EventId[i]);
            Assert.Equal(i % 3 == 0, columns.PriceIsNull[i]);
            Assert.Equal(i % 3 == 0 ? 0 : i + 0.5, columns.Price[i]);
            Assert.Equal($$"""{"n":{{i}}}""", columns.Properties[i]);
        }

        Assert.All(new Array[] { columns.EventType, columns.EventTime, columns.PriceIsNull, columns.ReceivedAt, columns.Properties }, a => Assert.Equal(128, a.Length));
    }

    [Fact]
    public void Clear_ThenAppend_ReusesTheArraysAndDropsOldRows()
    {
        var columns = new RawEventColumns(8);
        var extractor = new RawEventExtractor();
        for (var i = 0; i < 8; i++)
        {
            Assert.True(extractor.Append(Utf8(Line(i)), columns));
        }

        var (ids, prices, properties) = (columns.EventId, columns.Price, columns.Properties);

        columns.Clear();

        Assert.Equal(0, columns.Count);
        Assert.Same(ids, columns.EventId);
        Assert.All(columns.EventId, Assert.Null);
        Assert.All(columns.Properties, Assert.Null);

        Assert.True(extractor.Append(Utf8(Line(41)), columns));
        Assert.True(extractor.Append(Utf8(Line(42)), columns));

        Assert.Equal(2, columns.Count);
        Assert.Same(ids, columns.EventId);
        Assert.Same(prices, columns.Price);
        Assert.Same(properties, columns.Properties);
        Assert.Equal(["e-41", "e-42"], columns.EventId[..2]);
        Assert.Equal(41.5, columns.Price[0]);
        Assert.True(columns.PriceIsNull[1]);
        Assert.Null(columns.EventId[2]);
    }

    [Fact]
    public void EnsureCapacity_GrowsOnlyWhenNeeded()
    {
        var columns = new RawEventColumns(0);
        Assert.Equal(0, columns.Capacity);

        columns.EnsureCapacity(100);
        var ids = columns.EventId;
        columns.EnsureCapacity(50);

        Assert.Equal(100, columns.Capacity);
        Assert.Same(ids, columns.EventId);
        Assert.True(new RawEventExtractor().Append(Utf8(Line(1)), columns));
        Assert.Equal("e-1", columns.EventId[0]);
    }

    [Fact]
    public void Constructor_NegativeCapacity_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RawEventColumns(-1));
    }

    private static string Line(int i) =>
        $$"""{"event_id":"e-{{i}}","event_type":"page_view","timestamp":"2026-11-01T12:00:00Z","user_id":"u","session_id":"s","price":{{(i % 3 == 0 ? "null" : $"{i}.5")}},"n":{{i}}}""";
}
