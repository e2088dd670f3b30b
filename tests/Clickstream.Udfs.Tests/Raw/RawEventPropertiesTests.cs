using System.Text.Json;
using static Clickstream.Udfs.Tests.Raw.RawLines;

namespace Clickstream.Udfs.Tests.Raw;

public sealed class RawEventPropertiesTests
{
    [Fact]
    public void Append_UnknownTopLevelFields_GoToPropertiesAfterTheObjectsMembers()
    {
        var line = """{"experiment_id":"exp-1","event_id":"e","event_type":"t","timestamp":"2026-11-01T12:00:00Z","user_id":"u","session_id":"s","properties":{"title":"Home","load_ms":12},"ab":{"arm":"b","n":[1,2]},"flag":true,"none":null}""";

        Assert.Equal(
            """{"title":"Home","load_ms":12,"experiment_id":"exp-1","ab":{"arm":"b","n":[1,2]},"flag":true,"none":null}""",
            Extract(line).Properties[0]);
    }

    [Fact]
    public void Append_OnlyUnknownFields_MakeTheObject()
    {
        Assert.Equal("""{"ip":"192.0.2.1"}""", Extract(Event(""","ip":"192.0.2.1" """)).Properties[0]);
    }

    [Fact]
    public void Append_EmptyPropertiesObject_IsEmptyObject()
    {
        Assert.Equal("{}", Extract(Event(""","properties":{}""")).Properties[0]);
    }

    [Fact]
    public void Append_NameCollision_PropertiesMemberKeepsNameAndTopLevelGetsPrefix()
    {
        var line = Event(""","source":"top","properties":{"source":"inner","x":1},"x":2,"y":3""");

        Assert.Equal("""{"source":"inner","x":1,"_top.source":"top","_top.x":2,"y":3}""", Extract(line).Properties[0]);
    }

    [Fact]
    public void Append_PrefixedNameTakenToo_AddsAnotherPrefix()
    {
        var line = Event(""","properties":{"a":1,"_top.a":2},"a":3,"_top._top.a":4""");

        // "a" cannot be "a" (a member), nor "_top.a" (a member), nor "_top._top.a" (a top-level field).
        var properties = Properties(line);
        Assert.Equal(new[] { "a", "_top.a", "_top._top._top.a", "_top._top.a" }, Names(properties));
        Assert.Equal(3, properties.GetProperty("_top._top._top.a").GetInt32());
        Assert.Equal(4, properties.GetProperty("_top._top.a").GetInt32());
    }

    [Fact]
    public void Append_CollisionWithEscapedName_ComparesUnescapedNames()
    {
        var line = Event(""","properties":{"caf\u00e9":1},"café":2""");

        var properties = Properties(line);
        Assert.Equal(new[] { "café", "_top.café" }, Names(properties));
        Assert.Equal(2, properties.GetProperty("_top.café").GetInt32());
    }

    [Theory]
    [InlineData("price", "\"9.99\"")]
    [InlineData("price", "1e400")]
    [InlineData("price", "[9.99]")]
    [InlineData("quantity", "1.5")]
    [InlineData("quantity", "1e2")]
    [InlineData("quantity", "1.0")]
    [InlineData("quantity", "9223372036854775808")]
    [InlineData("quantity", "\"3\"")]
    [InlineData("quantity", "true")]
    [InlineData("schema_version", "2147483648")]
    [InlineData("schema_version", "2.0")]
    [InlineData("schema_version", "{\"major\":2}")]
    [InlineData("received_at", "\"yesterday\"")]
    [InlineData("received_at", "1793534400000")]
    [InlineData("received_at", "\"2026-11-01T12:00:00\"")]
    public void Append_WrongTypedOrOutOfRangeNumeric_NullAndKeptVerbatim(string field, string json)
    {
        var c = Extract(Event($",\"{field}\":{json}"));

        var isNull = field switch
        {
            "price" => c.PriceIsNull[0],
            "quantity" => c.QuantityIsNull[0],
            "schema_version" => c.SchemaVersionIsNull[0],
            _ => c.ReceivedAtIsNull[0],
        };
        Assert.True(isNull);
        Assert.Equal($"{{\"{field}\":{json}}}", c.Properties[0]);
    }

    [Theory]
    [InlineData("quantity", "-9223372036854775808", -9223372036854775808L)]
    [InlineData("quantity", "0", 0L)]
    [InlineData("schema_version", "-2147483648", -2147483648L)]
    [InlineData("schema_version", "2147483647", 2147483647L)]
    public void Append_IntegerAtItsRange_IsStored(string field, string json, long expected)
    {
        var c = Extract(Event($",\"{field}\":{json}"));

        Assert.Equal(expected, field == "quantity" ? c.Quantity[0] : c.SchemaVersion[0]);
        Assert.Equal("{}", c.Properties[0]);
    }

    [Fact]
    public void Append_WrongTypedNumericCollidingWithMember_GetsPrefix()
    {
        var c = Extract(Event(""","price":"free","properties":{"price":0}"""));

        Assert.True(c.PriceIsNull[0]);
        Assert.Equal("""{"price":0,"_top.price":"free"}""", c.Properties[0]);
    }

    [Fact]
    public void Append_PropertiesNotAnObject_KeptUnderItsName()
    {
        Assert.Equal("""{"properties":["a",1]}""", Extract(Event(""","properties":["a",1]""")).Properties[0]);
        Assert.Equal("""{"properties":"text"}""", Extract(Event(""","properties":"text" """)).Properties[0]);
    }

    [Fact]
    public void Append_RepeatedProperties_LastOneWins()
    {
        Assert.Equal("""{"b":2}""", Extract(Event(""","properties":{"a":1},"properties":{"b":2}""")).Properties[0]);
        Assert.Equal("""{"properties":7}""", Extract(Event(""","properties":{"a":1},"properties":7""")).Properties[0]);
        Assert.Equal("""{"a":1}""", Extract(Event(""","properties":7,"properties":{"a":1}""")).Properties[0]);
    }

    [Fact]
    public void Append_RepeatedUnknownField_LastOccurrenceKept()
    {
        var line = Event(""","tag":"first","other":0,"t\u0061g":"second" """);

        Assert.Equal("""{"other":0,"t\u0061g":"second"}""", Extract(line).Properties[0]);
    }

    [Fact]
    public void Append_RepeatedMemberInsidePropertiesObject_CopiedAsSent()
    {
        Assert.Equal("""{"a":1,"a":2}""", Extract(Event(""","properties":{"a":1,"a":2}""")).Properties[0]);
    }

    [Fact]
    public void Append_WhitespaceBetweenTokens_IsRemovedButKeptInsideStrings()
    {
        var line = "{ \"event_id\" : \"e\" ,\t\"event_type\":\"t\",\"timestamp\":\"2026-11-01T12:00:00Z\",\"user_id\":\"u\",\"session_id\":\"s\",\r\n"
            + " \"properties\" : { \"q\" : \"  a b \\\" c \" , \"n\" : [ 1 , { \"k\" : \" v \" } ] } , \"x\" : { } }";

        var text = Extract(line).Properties[0];

        Assert.Equal("""{"q":"  a b \" c ","n":[1,{"k":" v "}],"x":{}}""", text);
        Assert.True(IsCompact(text));
    }

    [Fact]
    public void Append_EscapesAndUnicode_RoundTrip()
    {
        string[] values = ["quote \" backslash \\ slash /", "tab\tnewline\ncontrol\u0001", "é 中文 😀", "\u2028\u2029", "<script>&'"];
        var members = string.Join(",", values.Select((v, i) => $"\"p{i}\":{JsonSerializer.Serialize(v)}"));
        var escaped = """ "u\u00e9":"\u00e9\ud83d\ude00\n", "raw":"é😀" """;
        var line = Event($",\"properties\":{{{members}}},{escaped},\"key \\\"quoted\\\"\":\"v\"");

        var properties = Properties(line);

        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i], properties.GetProperty($"p{i}").GetString());
        }

        Assert.Equal("é😀\n", properties.GetProperty("ué").GetString());
        Assert.Equal("é😀", properties.GetProperty("raw").GetString());
        Assert.Equal("v", properties.GetProperty("key \"quoted\"").GetString());
    }

    [Fact]
    public void Append_NumbersInProperties_KeepTheirExactText()
    {
        var line = Event(""","properties":{"a":1.50,"b":-0,"c":1E+2,"d":123456789012345678901234567890}""");

        Assert.Equal("""{"a":1.50,"b":-0,"c":1E+2,"d":123456789012345678901234567890}""", Extract(line).Properties[0]);
    }

    [Fact]
    public void Append_LoneSurrogateInProperties_KeptAsEscape()
    {
        Assert.Equal("""{"s":"\ud800x"}""", Extract(Event(""","properties":{"s":"\ud800x"}""")).Properties[0]);
    }

    [Fact]
    public void Append_ManyUnknownFields_AllKeptInOrder()
    {
        var extra = string.Concat(Enumerable.Range(0, 3000).Select(i => $",\"f{i}\":{i}"));
        var properties = Properties(Event(extra + ",\"f0\":-1"));

        var names = Names(properties);
        Assert.Equal(3000, names.Length);
        Assert.Equal("f1", names[0]);
        Assert.Equal("f0", names[^1]);
        Assert.Equal(-1, properties.GetProperty("f0").GetInt32());
        Assert.Equal(2999, properties.GetProperty("f2999").GetInt32());
    }
}
