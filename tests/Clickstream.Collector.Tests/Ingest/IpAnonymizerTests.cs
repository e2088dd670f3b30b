using System.Net;
using Clickstream.Collector.Ingest;

namespace Clickstream.Collector.Tests.Ingest;

public sealed class IpAnonymizerTests
{
    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0")]
    [InlineData("127.0.0.1", "127.0.0.0")]
    [InlineData("::ffff:198.51.100.9", "198.51.100.0")]
    [InlineData("2001:db8:85a3:1234:5678:8a2e:370:7334", "2001:db8:85a3::")]
    [InlineData("::1", "::")]
    public void Anonymize_Address_ZeroesTheHostPart(string address, string expected)
    {
        Assert.Equal(expected, IpAnonymizer.Anonymize(IPAddress.Parse(address)));
    }

    [Fact]
    public void Anonymize_NoAddress_IsEmpty()
    {
        Assert.Equal("", IpAnonymizer.Anonymize(null));
    }
}
