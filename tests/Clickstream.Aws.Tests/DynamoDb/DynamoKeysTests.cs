using Clickstream.Aws.DynamoDb;

namespace Clickstream.Aws.Tests.DynamoDb;

public sealed class DynamoKeysTests
{
    [Fact]
    public void Partition_ShardZero_IsTheMetricAndWindowStart()
    {
        Assert.Equal("events#1793534400000000", DynamoKeys.Partition("events", 1793534400000000, 0));
        Assert.Equal("top_products#1793534400000000#3", DynamoKeys.Partition("top_products", 1793534400000000, 3));
        Assert.Equal("top_products", DynamoKeys.MetricOf("top_products#1793534400000000#3"));
    }

    [Fact]
    public void Shard_ManyKeys_SpreadEvenly()
    {
        var counts = new int[8];
        for (var p = 0; p < 5000; p++)
        {
            counts[DynamoKeys.Shard("P" + p.ToString("D5", System.Globalization.CultureInfo.InvariantCulture), 8)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 500, 750));
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(5, 2)]
    [InlineData(1793534400000000, 5)]
    [InlineData(123456789, 6)]
    public void NumberBytes_FollowsDynamoDbsSizeRule(long value, int bytes) => Assert.Equal(bytes, DynamoKeys.NumberBytes(value));

    [Fact]
    public void BatchTouch_EncodeDecode_RoundTripsAndSharesEqualRanges()
    {
        const long W = 60_000_000;
        var touch = new BatchTouch(42, [new MetricRange("events", 10 * W, 11 * W), new MetricRange("funnel", 10 * W, 11 * W), new MetricRange("late", -3 * W, 9 * W)]);
        var text = touch.Encode(W);
        Assert.Equal("42|events,funnel:10:11|late:-3:9", text);
        var back = BatchTouch.Decode(text, W);
        Assert.Equal(42, back.BatchId);
        Assert.Equal(touch.Ranges, back.Ranges);
    }
}
