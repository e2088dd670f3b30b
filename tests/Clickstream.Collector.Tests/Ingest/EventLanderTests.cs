using System.Buffers;
using System.Text;
using Clickstream.Collector.Ingest;

namespace Clickstream.Collector.Tests.Ingest;

public sealed class EventLanderTests
{
    private const string Stamp = "\"received_at\":\"2026-11-01T12:00:00.123Z\",\"client_ip\":\"10.1.2.0\"";

    [Theory]
    [InlineData("{\"a\":1}", "{\"a\":1," + Stamp + ",\"user_agent\":\"UA\"}")]
    [InlineData("{}", "{" + Stamp + ",\"user_agent\":\"UA\"}")]
    [InlineData("  { \"a\" : [1, {\"user_agent\":\"nested\"}] }  ", "{ \"a\" : [1, {\"user_agent\":\"nested\"}] ," + Stamp + ",\"user_agent\":\"UA\"}")]
    [InlineData("{\"user_agent\":\"own\",\"b\":null}", "{\"user_agent\":\"own\",\"b\":null," + Stamp + "}")]
    [InlineData("{\"a\":\n1\r\n}", "{\"a\": 1  ," + Stamp + ",\"user_agent\":\"UA\"}")]
    public void Land_JsonObject_SplicesTheStampBeforeTheClosingBrace(string evt, string expected)
    {
        Assert.Equal(expected + "\n", Land(evt, "UA"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"a\":1} {\"b\":2}")]
    [InlineData("{\"a\":1")]
    [InlineData("{\"a\":1}}")]
    public void Land_AnythingButOneObject_LandsItUnchanged(string evt)
    {
        Assert.Equal(evt + "\n", Land(evt, "UA"));
    }

    [Fact]
    public void Land_NoUserAgentHeader_AddsNoUserAgent()
    {
        Assert.Equal("{\"a\":1," + Stamp + "}\n", Land("{\"a\":1}", null));
    }

    [Fact]
    public void Land_UserAgentWithQuotes_IsEscaped()
    {
        var landed = Land("{}", "a \"quoted\" agent");

        Assert.Contains("\"user_agent\":\"a \\u0022quoted\\u0022 agent\"", landed, StringComparison.Ordinal);
    }

    private static string Land(string evt, string? userAgent)
    {
        var lander = new EventLander("2026-11-01T12:00:00.123Z", "10.1.2.0", userAgent);
        var output = new ArrayBufferWriter<byte>();
        lander.Land(Encoding.UTF8.GetBytes(evt), output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
