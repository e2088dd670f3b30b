using Clickstream.Delta.Table;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Tests.Table;

public sealed class PathTests
{
    [Theory]
    [InlineData("2025-03-01", "2025-03-01")]
    [InlineData("2021-09-08 11:11:11", "2021-09-08 11%3A11%3A11")]
    [InlineData("bar+%21", "bar+%2521")]
    [InlineData("a/b=c?d#e", "a%2Fb%3Dc%3Fd%23e")]
    [InlineData("tab\there", "tab%09here")]
    public void HiveEscaping_MatchesSpark(string value, string expected) =>
        Assert.Equal(expected, DeltaPaths.EscapePathName(value));

    [Fact]
    public void NullAndEmptyPartitionValues_UseTheHiveDefaultDirectory()
    {
        Assert.Equal("day=__HIVE_DEFAULT_PARTITION__", DeltaPaths.PartitionDirectory("day", null));
        Assert.Equal("day=__HIVE_DEFAULT_PARTITION__", DeltaPaths.PartitionDirectory("day", ""));
    }

    [Theory]
    [InlineData("as_timestamp=2021-09-08 11%3A11%3A11/part-0.parquet", "as_timestamp=2021-09-08%2011%253A11%253A11/part-0.parquet")]
    [InlineData("_2=bar+%2521/part-0.parquet", "_2=bar+%252521/part-0.parquet")]
    [InlineData("special p@#h", "special%20p@%23h")]
    [InlineData("ünïcode/x", "%C3%BCn%C3%AFcode/x")]
    [InlineData("p=😀 x/part-0.parquet", "p=%F0%9F%98%80%20x/part-0.parquet")]
    public void UriEncoding_RoundTrips(string physical, string uri)
    {
        Assert.Equal(uri, DeltaPaths.ToUriPath(physical));
        Assert.Equal(physical, DeltaPaths.FromUriPath(uri));
    }

    [Theory]
    [InlineData("p=😀%20x/part-0.parquet", "p=😀 x/part-0.parquet")]
    [InlineData("😀", "😀")]
    [InlineData("a%2", "a%2")]
    public void Decoding_KeepsRawNonAsciiAndSurrogatePairs(string uri, string physical) =>
        Assert.Equal(physical, DeltaPaths.FromUriPath(uri));

    [Fact]
    public void AbsolutePaths_AreRefused() =>
        Assert.Throws<DeltaFormatException>(() => DeltaPaths.KeyOf("s3://bucket/table/part-0.parquet"));

    [Theory]
    [InlineData("2025-03-01", "date")]
    [InlineData("42", "long")]
    [InlineData("true", "boolean")]
    [InlineData("1.5", "double")]
    public void PartitionValues_ParseByType(string text, string type) =>
        Assert.NotNull(PartitionValues.Parse(text, PrimitiveType.FromName(type)));

    [Fact]
    public void PartitionValues_NullAndEmptyMeanNull_AndTheWordNullIsAString()
    {
        Assert.Null(PartitionValues.Parse(null, PrimitiveType.String));
        Assert.Null(PartitionValues.Parse("", PrimitiveType.Long));
        Assert.Equal("null", PartitionValues.Parse("null", PrimitiveType.String));
        Assert.Throws<DeltaFormatException>(() => PartitionValues.Parse("x", PrimitiveType.Long));
    }

    [Fact]
    public void Timestamps_AcceptIsoAndLegacyForms()
    {
        Assert.Equal(new DateTimeOffset(2020, 1, 1, 8, 9, 10, 1, TimeSpan.Zero), PartitionValues.ParseTimestamp("2020-01-01 08:09:10.001"));
        Assert.Equal(new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1234560), PartitionValues.ParseTimestamp("1970-01-01T00:00:00.123456Z"));
    }

    [Fact]
    public void UtcDateOfMicros_HandlesNegativeTimes()
    {
        Assert.Equal(new DateOnly(1970, 1, 1), PartitionValues.UtcDateOfMicros(0));
        Assert.Equal(new DateOnly(1969, 12, 31), PartitionValues.UtcDateOfMicros(-1));
        Assert.Equal(new DateOnly(2025, 3, 1), PartitionValues.UtcDateOfMicros(new DateTimeOffset(2025, 3, 1, 23, 59, 59, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000));
    }

    [Theory]
    [InlineData("interval 7 days", 7 * 24)]
    [InlineData("interval 1 week", 7 * 24)]
    [InlineData("168 hours", 168)]
    [InlineData("interval 1 day 12 hours", 36)]
    public void Intervals_Parse(string text, int hours) =>
        Assert.Equal(TimeSpan.FromHours(hours), DeltaIntervals.Parse(text));

    [Fact]
    public void Intervals_RejectGarbage() => Assert.Throws<FormatException>(() => DeltaIntervals.Parse("interval seven days"));
}
