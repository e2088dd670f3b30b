using System.IO.Hashing;
using System.Text;

namespace Clickstream.Udfs.Tests;

public sealed class EventParserTests
{
    private const string Full =
        """{"event_id":"6f1c2a52-8d0e-4b39-9a57-0f7a1d2c3b4e","event_type":"product_view","timestamp":"2026-11-01T12:00:00.123Z","user_id":"u-000042","session_id":"s-00000007","page":"/p/p-000123","category":"electronics","device":"mobile","product_id":"p-000123","price":199.99,"quantity":1,"referrer":"https://www.google.com/","user_agent":"Mozilla/5.0","schema_version":2,"properties":{"list":[1,{"a":[true,null]}],"nested":{"deep":{"x":"y"}}},"experiment_id":"exp-7"}""";

    private readonly EventParser _parser = new();

    [Fact]
    public void TryParse_FullEvent_ReadsEveryField()
    {
        var ok = _parser.TryParse(Utf8(Full), out var ev, out var error);

        Assert.True(ok, error.Detail);
        Assert.Equal(XxHash128.HashToUInt128("6f1c2a52-8d0e-4b39-9a57-0f7a1d2c3b4e"u8), ev.EventKey);
        Assert.Equal("product_view", ev.EventType);
        Assert.Equal(EventTypeCode.ProductView, ev.TypeCode);
        Assert.Equal(Micros("2026-11-01T12:00:00.123Z"), ev.TimestampMicros);
        Assert.Equal(XxHash3.HashToUInt64("u-000042"u8), ev.UserHash);
        Assert.Equal(XxHash128.HashToUInt128("s-00000007"u8), ev.SessionKey);
        Assert.Equal("electronics", ev.Category);
        Assert.Equal("p-000123", ev.ProductId);
        Assert.Equal(default, error);
    }

    [Fact]
    public void TryParse_OnlyRequiredFields_LeavesOptionalNull()
    {
        var ok = _parser.TryParse(Utf8(Event()), out var ev, out _);

        Assert.True(ok);
        Assert.Null(ev.Category);
        Assert.Null(ev.ProductId);
    }

    [Theory]
    [InlineData("page_view", EventTypeCode.PageView)]
    [InlineData("product_view", EventTypeCode.ProductView)]
    [InlineData("add_to_cart", EventTypeCode.AddToCart)]
    [InlineData("remove_from_cart", EventTypeCode.RemoveFromCart)]
    [InlineData("checkout_start", EventTypeCode.CheckoutStart)]
    [InlineData("purchase", EventTypeCode.Purchase)]
    [InlineData("search", EventTypeCode.Search)]
    [InlineData("video_play", EventTypeCode.Other)]
    [InlineData("Page_View", EventTypeCode.Other)]
    public void TryParse_EventType_MapsToCode(string type, EventTypeCode expected)
    {
        Assert.True(_parser.TryParse(Utf8(Event(type: type)), out var ev, out _));
        Assert.Equal(expected, ev.TypeCode);
        Assert.Equal(type, ev.EventType);
    }

    [Fact]
    public void TryParse_EscapedValues_HashesUnescapedBytes()
    {
        var line = """{"event_id":"a\"b\u00e9","event_type":"page\u005fview","timestamp":"2026-11-01T12:00:00Z","user_id":"caf\u00e9","session_id":"s\/1","category":"home \u0026 garden"}""";

        var ok = _parser.TryParse(Utf8(line), out var ev, out var error);

        Assert.True(ok, error.Detail);
        Assert.Equal(XxHash128.HashToUInt128(Utf8("a\"bé")), ev.EventKey);
        Assert.Equal(EventTypeCode.PageView, ev.TypeCode);
        Assert.Equal(XxHash3.HashToUInt64(Utf8("café")), ev.UserHash);
        Assert.Equal(XxHash128.HashToUInt128("s/1"u8), ev.SessionKey);
        Assert.Equal("home & garden", ev.Category);
    }

    [Fact]
    public void TryParse_EscapedPropertyName_IsRecognised()
    {
        var line = Event().Replace("\"user_id\"", "\"user\\u005fid\"", StringComparison.Ordinal);

        Assert.True(_parser.TryParse(Utf8(line), out var ev, out _));
        Assert.Equal(XxHash3.HashToUInt64("u-1"u8), ev.UserHash);
    }

    [Fact]
    public void TryParse_NonAsciiValues_AreKeptExactly()
    {
        Assert.True(_parser.TryParse(Utf8(Event(extra: ""","category":"Spielwaren & Bücher 🎲" """)), out var ev, out _));
        Assert.Equal("Spielwaren & Bücher 🎲", ev.Category);
    }

    [Theory]
    [InlineData("  {0}  ")]
    [InlineData("{0}\r")]
    [InlineData("\t{0}\r\n")]
    [InlineData("\uFEFF{0}")]
    public void TryParse_SurroundingWhitespace_IsTolerated(string frame)
    {
        Assert.True(_parser.TryParse(Utf8(string.Format(System.Globalization.CultureInfo.InvariantCulture, frame, Event())), out _, out var error), error.Detail);
    }

    [Theory]
    [InlineData("2026-11-01T14:00:00+02:00")]
    [InlineData("2026-11-01T14:00:00+0200")]
    [InlineData("2026-11-01T14:00:00+02")]
    [InlineData("2026-11-01T06:30:00-05:30")]
    [InlineData("2026-11-01T12:00:00.000000000Z")]
    public void TryParse_TimestampWithOffset_ConvertsToUtc(string timestamp)
    {
        Assert.True(_parser.TryParse(Utf8(Event(timestamp: timestamp)), out var ev, out _));
        Assert.Equal(Micros("2026-11-01T12:00:00Z"), ev.TimestampMicros);
    }

    [Fact]
    public void TryParse_DuplicateKeys_LastOneWins()
    {
        var line = """{"event_id":"","user_id":"first","event_type":"search","timestamp":"2026-11-01T12:00:00Z","session_id":"s","event_id":"e-2","user_id":"second","category":"books","category":null}""";

        Assert.True(_parser.TryParse(Utf8(line), out var ev, out _));
        Assert.Equal(XxHash128.HashToUInt128("e-2"u8), ev.EventKey);
        Assert.Equal(XxHash3.HashToUInt64("second"u8), ev.UserHash);
        Assert.Null(ev.Category);
    }

    [Theory]
    [InlineData("""{"category":12,"product_id":true}""")]
    [InlineData("""{"category":null,"product_id":null}""")]
    [InlineData("""{"category":"","product_id":""}""")]
    [InlineData("""{"category":{"name":"toys"},"product_id":["p-1"]}""")]
    public void TryParse_UnusableOptionalFields_TreatedAsAbsent(string optional)
    {
        var line = Event(extra: "," + optional[1..^1]);

        Assert.True(_parser.TryParse(Utf8(line), out var ev, out var error), error.Detail);
        Assert.Null(ev.Category);
        Assert.Null(ev.ProductId);
    }

    [Fact]
    public void TryParse_SameIds_GiveEqualHashes()
    {
        _parser.TryParse(Utf8(Event(id: "e-1", user: "u-1", session: "s-1")), out var a, out _);
        _parser.TryParse(Utf8(Event(id: "e-1", user: "u-1", session: "s-1", type: "search")), out var b, out _);

        Assert.Equal(a.EventKey, b.EventKey);
        Assert.Equal(a.UserHash, b.UserHash);
        Assert.Equal(a.SessionKey, b.SessionKey);
    }

    [Fact]
    public void TryParse_DifferentIds_GiveDifferentHashes()
    {
        _parser.TryParse(Utf8(Event(id: "e-1", user: "u-1", session: "s-1")), out var a, out _);
        _parser.TryParse(Utf8(Event(id: "e-2", user: "u-2", session: "s-2")), out var b, out _);

        Assert.NotEqual(a.EventKey, b.EventKey);
        Assert.NotEqual(a.UserHash, b.UserHash);
        Assert.NotEqual(a.SessionKey, b.SessionKey);
    }

    [Fact]
    public void TryParse_RepeatedValues_ReturnSameInstances()
    {
        var line = Utf8(Event(type: "wishlist_add", extra: ""","category":"garden","product_id":"p-000777" """));
        _parser.TryParse(line, out var a, out _);
        _parser.TryParse(line, out var b, out _);
        _parser.TryParse(Utf8(Event()), out var known1, out _);
        _parser.TryParse(Utf8(Event()), out var known2, out _);

        Assert.Same(a.EventType, b.EventType);
        Assert.Same(a.Category, b.Category);
        Assert.Same(a.ProductId, b.ProductId);
        Assert.Same(known1.EventType, known2.EventType);
    }

    [Fact]
    public void TryParse_EventAtSizeLimit_IsAccepted()
    {
        var line = Event();
        var parser = new EventParser(Encoding.UTF8.GetByteCount(line));

        Assert.True(parser.TryParse(Utf8(line), out _, out _));
    }

    [Fact]
    public void Constructor_NonPositiveLimit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventParser(0));
    }

    internal static string Event(
        string id = "e-1",
        string type = "page_view",
        string timestamp = "2026-11-01T12:00:00Z",
        string user = "u-1",
        string session = "s-1",
        string extra = "") =>
        $$"""{"event_id":"{{id}}","event_type":"{{type}}","timestamp":"{{timestamp}}","user_id":"{{user}}","session_id":"{{session}}"{{extra}}}""";

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    internal static long Micros(string iso)
    {
        Assert.True(Iso8601.TryParseMicros(Utf8(iso), out var micros));
        return micros;
    }
}
