namespace Clickstream.Collector.Tests;

public sealed class WriteKeyTests
{
    [Fact]
    public void ParseList_PairsAndABareKey_NamesEachApp()
    {
        var keys = WriteKey.ParseList(" web=k1, ios = k2 ,k3,");

        Assert.Equal([new WriteKey("web", "k1"), new WriteKey("ios", "k2"), new WriteKey("default", "k3")], keys);
    }

    [Theory]
    [InlineData("web=")]
    [InlineData("=key")]
    public void ParseList_EmptyNameOrKey_Throws(string text)
    {
        Assert.Throws<ArgumentException>(() => WriteKey.ParseList(text));
    }

    [Fact]
    public void ToString_NeverShowsTheKey()
    {
        Assert.DoesNotContain("secret", new WriteKey("web", "secret").ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", new CollectorOptions { SinkDirectory = "x", WriteKeys = [new WriteKey("web", "secret")] }.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoWriteKeys_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new CollectorOptions { SinkDirectory = "x" }.Validate());

        Assert.Contains("write key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CollectorAssembly_ReferencesNoOtherProjectOfOurs()
    {
        Assert.DoesNotContain(
            typeof(CollectorServer).Assembly.GetReferencedAssemblies(),
            a => a.Name!.StartsWith("Clickstream", StringComparison.Ordinal));
    }
}
