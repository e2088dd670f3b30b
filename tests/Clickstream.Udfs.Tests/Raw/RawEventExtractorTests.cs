using System.Text.Json;
using Clickstream.Udfs.Raw;
using static Clickstream.Udfs.Tests.Raw.RawLines;

namespace Clickstream.Udfs.Tests.Raw;

public sealed class RawEventExtractorTests
{
    private const string Full =
        """{"event_id":"6f1c2a52-8d0e-4b39-9a57-0f7a1d2c3b4e","event_type":"purchase","timestamp":"2026-11-01T14:00:00.123456+02:00","user_id":"u-000042","session_id":"s-00000007","page":"https://shop.example.com/checkout","category":"electronics","device":"mobile","product_id":"p-000123","price":199.99,"quantity":3,"order_id":"o-991","referrer":"https://www.google.com/","user_agent":"Mozilla/5.0 (X11)","schema_version":2,"client_ip":"203.0.113.0","received_at":"2026-11-01T12:00:01.5Z","properties":{"coupon":"BF26","items":[1,{"a":[true,null]}]},"experiment_id":"exp-7"}""";

    [Fact]
    public void Append_FullEvent_FillsEveryColumn()
    {
        var c = Extract(Full);

        Assert.Equal("6f1c2a52-8d0e-4b39-9a57-0f7a1d2c3b4e", c.EventId[0]);
        Assert.Equal("purchase", c.EventType[0]);
        Assert.Equal(Micros("2026-11-01T12:00:00.123456Z"), c.EventTime[0]);
        Assert.Equal("u-000042", c.UserId[0]);
        Assert.Equal("s-00000007", c.SessionId[0]);
        Assert.Equal("https://shop.example.com/checkout", c.Page[0]);
        Assert.Equal("electronics", c.Category[0]);
        Assert.Equal("mobile", c.Device[0]);
        Assert.Equal("p-000123", c.ProductId[0]);
        Assert.False(c.PriceIsNull[0]);
        Assert.Equal(199.99, c.Price[0]);
        Assert.False(c.QuantityIsNull[0]);
        Assert.Equal(3L, c.Quantity[0]);
        Assert.Equal("o-991", c.OrderId[0]);
        Assert.Equal("https://www.google.com/", c.Referrer[0]);
        Assert.Equal("Mozilla/5.0 (X11)", c.UserAgent[0]);
        Assert.False(c.SchemaVersionIsNull[0]);
        Assert.Equal(2, c.SchemaVersion[0]);
        Assert.Equal("203.0.113.0", c.ClientIp[0]);
        Assert.False(c.ReceivedAtIsNull[0]);
        Assert.Equal(Micros("2026-11-01T12:00:01.5Z"), c.ReceivedAt[0]);
        Assert.Equal("""{"coupon":"BF26","items":[1,{"a":[true,null]}],"experiment_id":"exp-7"}""", c.Properties[0]);
    }

    [Fact]
    public void Append_OnlyRequiredFields_LeavesOptionalColumnsNull()
    {
        var c = Extract(Event());

        Assert.Equal("e-1", c.EventId[0]);
        Assert.Equal(Micros("2026-11-01T12:00:00Z"), c.EventTime[0]);
        Assert.All(new[] { c.Page, c.Category, c.Device, c.ProductId, c.OrderId, c.Referrer, c.UserAgent, c.ClientIp }, column => Assert.Null(column[0]));
        Assert.True(c.PriceIsNull[0]);
        Assert.True(c.QuantityIsNull[0]);
        Assert.True(c.SchemaVersionIsNull[0]);
        Assert.True(c.ReceivedAtIsNull[0]);
        Assert.Equal(0.0, c.Price[0]);
        Assert.Equal("{}", c.Properties[0]);
    }

    [Fact]
    public void Append_ExplicitNulls_AreNullAndNotKept()
    {
        var c = Extract(Event(""","page":null,"price":null,"quantity":null,"schema_version":null,"received_at":null,"properties":null"""));

        Assert.Null(c.Page[0]);
        Assert.True(c.PriceIsNull[0]);
        Assert.True(c.QuantityIsNull[0]);
        Assert.True(c.SchemaVersionIsNull[0]);
        Assert.True(c.ReceivedAtIsNull[0]);
        Assert.Equal("{}", c.Properties[0]);
    }

    [Theory]
    [InlineData("12", "12")]
    [InlineData("-1.5e3", "-1.5e3")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("\"\"", "")]
    [InlineData("\"a\\\"b\\u00e9\\ud83d\\ude00\"", "a\"bé😀")]
    public void Append_ScalarInStringColumn_StoresItsText(string json, string expected)
    {
        var c = Extract(Event($",\"category\":{json},\"order_id\":{json}"));

        Assert.Equal(expected, c.Category[0]);
        Assert.Equal(expected, c.OrderId[0]);
        Assert.Equal("{}", c.Properties[0]);
    }

    [Theory]
    [InlineData("""{"a":1}""")]
    [InlineData("""[1,"x"]""")]
    [InlineData("\"\\ud800\"")]
    public void Append_ValueAStringColumnCannotHold_NullAndKeptInProperties(string json)
    {
        var line = Event($",\"device\":{json}");
        var c = Extract(line);

        Assert.Null(c.Device[0]);
        Assert.Equal($"{{\"device\":{json}}}", c.Properties[0]);
    }

    [Theory]
    [InlineData("2026-11-01T12:00:00.123Z")]
    [InlineData("2026-11-01T14:00:00+02:00")]
    [InlineData("2026-11-01T06:30:00-0530")]
    [InlineData("2026-11-01T12:00:00.123456789Z")]
    public void Append_Timestamp_IsUtcMicros(string timestamp)
    {
        var line = $$"""{"event_id":"e","event_type":"t","timestamp":"{{timestamp}}","user_id":"u","session_id":"s","received_at":"{{timestamp}}"}""";
        var c = Extract(line);

        Assert.True(Iso8601.TryParseMicros(Utf8(timestamp), out var expected));
        Assert.Equal(expected, c.EventTime[0]);
        Assert.Equal(expected, c.ReceivedAt[0]);
    }

    [Fact]
    public void Append_RepeatedKeys_LastOccurrenceWins()
    {
        var line = """{"user_id":"","event_id":"e","event_type":"t","timestamp":"later","user_id":"u-2","session_id":"s","price":"x","price":2.5,"quantity":4,"quantity":"many","timestamp":"2026-11-01T12:00:00Z","page":"a","page":"b"}""";
        var c = Extract(line);

        Assert.Equal("u-2", c.UserId[0]);
        Assert.Equal(Micros("2026-11-01T12:00:00Z"), c.EventTime[0]);
        Assert.Equal(2.5, c.Price[0]);
        Assert.True(c.QuantityIsNull[0]);
        Assert.Equal("b", c.Page[0]);
        Assert.Equal("""{"quantity":"many"}""", c.Properties[0]);
    }

    [Fact]
    public void Append_EscapedFieldNames_MatchTheirColumns()
    {
        var c = Extract(Event(""","pri\u0063e":1.25,"\u0063ategory":"home","cl\u0069ent_ip":"198.51.100.0","ip":"198.51.100.7" """));

        Assert.Equal(1.25, c.Price[0]);
        Assert.Equal("home", c.Category[0]);
        Assert.Equal("198.51.100.0", c.ClientIp[0]);
        Assert.Equal("""{"ip":"198.51.100.7"}""", c.Properties[0]);
    }

    [Fact]
    public void Append_KnownAndUnknownEventTypes_AreSharedInstances()
    {
        var columns = new RawEventColumns();
        var extractor = new RawEventExtractor();
        foreach (var type in new[] { "page_view", "video_play", "page_view", "video_play" })
        {
            var line = $$"""{"event_id":"e","event_type":"{{type}}","timestamp":"2026-11-01T12:00:00Z","user_id":"u","session_id":"s","device":"tablet"}""";
            Assert.True(extractor.Append(Utf8(line), columns));
        }

        Assert.Equal(new[] { "page_view", "video_play", "page_view", "video_play" }, columns.EventType[..4]);
        Assert.Same(columns.EventType[0], columns.EventType[2]);
        Assert.Same(columns.EventType[1], columns.EventType[3]);
        Assert.Same(columns.Device[0], columns.Device[3]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"event_id":"e","event_type":"t","timestamp":"2026-11-01T12:00:00Z","user_id":"u"}""")]
    [InlineData("""{"event_id":"e","event_type":"t","timestamp":"2026-11-01T12:00:00Z","user_id":"u","session_id":""}""")]
    [InlineData("""{"event_id":"e","event_type":"t","timestamp":"2026-11-01T12:00:00Z","user_id":7,"session_id":"s"}""")]
    [InlineData("""{"event_id":"e","event_type":"t","timestamp":"2026-11-01T12:00:00","user_id":"u","session_id":"s"}""")]
    [InlineData("""{"event_id":"\ud800","event_type":"t","timestamp":"2026-11-01T12:00:00Z","user_id":"u","session_id":"s"}""")]
    [InlineData("""{"event_id":"e","event_type":"t","timestamp":"2026-11-01T12:00:00Z","user_id":"u","session_id":"s"} x""")]
    [InlineData("""{"event_id":"e","event_type":"t","timestamp":"2026-11-01T12:00:00Z","user_id":"u","session_id":"s","page":"a",""")]
    public void Append_InvalidLine_ReturnsFalseAndAppendsNothing(string line)
    {
        var columns = new RawEventColumns(2);
        var extractor = new RawEventExtractor();
        Assert.True(extractor.Append(Utf8(Event(""","page":"first" """)), columns));

        Assert.False(extractor.Append(Utf8(line), columns));

        Assert.Equal(1, columns.Count);
        Assert.Equal("first", columns.Page[0]);
        Assert.Null(columns.Page[1]);
        Assert.Null(columns.EventId[1]);
    }

    [Fact]
    public void Append_InvalidUtf8_ReturnsFalse()
    {
        var bytes = Utf8(Event(""","page":"XY" """));
        var at = Array.IndexOf(bytes, (byte)'X');
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;

        Assert.False(new RawEventExtractor().Append(bytes, new RawEventColumns()));
    }

    [Fact]
    public void Append_WhitespaceCarriageReturnAndByteOrderMark_AreIgnored()
    {
        var bytes = Utf8("\uFEFF  " + Event(""","page":"p" """) + " \r");

        var columns = new RawEventColumns();
        Assert.True(new RawEventExtractor().Append(bytes, columns));
        Assert.Equal("p", columns.Page[0]);
    }

    [Fact]
    public void Append_NestingAtEventParserLimit_IsAccepted()
    {
        var depth = EventParser.MaxDepth - 1;
        var nested = new string('[', depth - 1) + new string(']', depth - 1);
        var line = Event($",\"deep\":{nested}");
        Assert.True(new EventParser().TryParse(Utf8(line), out _, out var error), error.Detail);

        Assert.Equal(nested, Properties(line).GetProperty("deep").GetRawText());
    }

    [Fact]
    public void Append_NullColumns_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new RawEventExtractor().Append(Utf8(Event()), null!));
    }

    [Fact]
    public void Append_FullEvent_PropertiesParseAsAnObject()
    {
        var properties = Properties(Full);

        Assert.Equal(JsonValueKind.Object, properties.ValueKind);
        Assert.Equal(new[] { "coupon", "items", "experiment_id" }, Names(properties));
    }
}
