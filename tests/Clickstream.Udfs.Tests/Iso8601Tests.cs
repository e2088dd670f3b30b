using System.Globalization;
using System.Text;

namespace Clickstream.Udfs.Tests;

public sealed class Iso8601Tests
{
    [Theory]
    [InlineData("9999-12-31T23:59:59.000-01:00")]
    [InlineData("0001-01-01T00:00:00.000+01:00")]
    public void TryParseMicros_ZoneMovesTheInstantOutOfYears1To9999_IsRejected(string text)
    {
        Assert.False(Iso8601.TryParseMicros(System.Text.Encoding.UTF8.GetBytes(text), out var micros));
        Assert.Equal(0, micros);
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59.999999Z")]
    [InlineData("0001-01-01T00:00:00.000000Z")]
    [InlineData("0001-01-01T00:30:00.000+00:30")]
    public void TryParseMicros_EdgesOfTheRange_AreAccepted(string text) =>
        Assert.True(Iso8601.TryParseMicros(System.Text.Encoding.UTF8.GetBytes(text), out _));

    [Theory]
    [InlineData("1970-01-01T00:00:00Z", 0L)]
    [InlineData("2026-11-01T12:00:00Z", 1_793_534_400_000_000L)]
    [InlineData("2026-11-01T12:00:00.1Z", 1_793_534_400_100_000L)]
    [InlineData("2026-11-01T12:00:00.12Z", 1_793_534_400_120_000L)]
    [InlineData("2026-11-01T12:00:00.123Z", 1_793_534_400_123_000L)]
    [InlineData("2026-11-01T12:00:00.123456Z", 1_793_534_400_123_456L)]
    [InlineData("2026-11-01T12:00:00.1234567Z", 1_793_534_400_123_456L)]
    [InlineData("2026-11-01T12:00:00.123456789Z", 1_793_534_400_123_456L)]
    [InlineData("1969-12-31T23:59:59.999999Z", -1L)]
    public void TryParseMicros_Utc_ReturnsMicros(string text, long expected)
    {
        Assert.True(Iso8601.TryParseMicros(Encoding.ASCII.GetBytes(text), out var micros));
        Assert.Equal(expected, micros);
    }

    [Theory]
    [InlineData("2026-11-01T00:30:00+01:00", "2026-10-31T23:30:00Z")]
    [InlineData("2026-12-31T23:30:00-01:00", "2027-01-01T00:30:00Z")]
    [InlineData("2024-03-01T01:00:00+02", "2024-02-29T23:00:00Z")]
    [InlineData("2026-11-01T17:30:00+0530", "2026-11-01T12:00:00Z")]
    [InlineData("2026-11-01T12:00:00-00:00", "2026-11-01T12:00:00Z")]
    [InlineData("2026-11-01T12:00:00.5+23:59", "2026-10-31T12:01:00.500Z")]
    public void TryParseMicros_Offset_ConvertsToUtc(string text, string utc)
    {
        Assert.True(Iso8601.TryParseMicros(Encoding.ASCII.GetBytes(text), out var micros));
        Assert.Equal(utc, Iso8601.FormatMicros(micros));
    }

    [Theory]
    [InlineData("2024-02-29T12:00:00Z")]
    [InlineData("2000-02-29T12:00:00Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59.999999Z")]
    public void TryParseMicros_EdgeDates_RoundTrip(string text)
    {
        Assert.True(Iso8601.TryParseMicros(Encoding.ASCII.GetBytes(text), out var micros));
        Assert.Equal(text, Iso8601.FormatMicros(micros));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2026-11-01T12:00:00")]
    [InlineData("2026-11-01T12:00:00.123456")]
    [InlineData("2026-11-01 12:00:00Z")]
    [InlineData("2026-11-01t12:00:00Z")]
    [InlineData("2026-11-01T12:00:00z")]
    [InlineData("2026-11-01T12:00Z")]
    [InlineData("2026-11-01")]
    [InlineData("20261101T120000Z")]
    [InlineData("2026-02-29T12:00:00Z")]
    [InlineData("1900-02-29T12:00:00Z")]
    [InlineData("2026-02-30T12:00:00Z")]
    [InlineData("2026-04-31T12:00:00Z")]
    [InlineData("2026-13-01T12:00:00Z")]
    [InlineData("2026-00-01T12:00:00Z")]
    [InlineData("2026-11-00T12:00:00Z")]
    [InlineData("0000-11-01T12:00:00Z")]
    [InlineData("2026-11-01T24:00:00Z")]
    [InlineData("2026-11-01T25:00:00Z")]
    [InlineData("2026-11-01T12:60:00Z")]
    [InlineData("2026-11-01T12:00:60Z")]
    [InlineData("2026-11-01T12:00:00.Z")]
    [InlineData("2026-11-01T12:00:00.1234567890Z")]
    [InlineData("2026-11-01T12:00:00,5Z")]
    [InlineData("2026-11-01T12:00:00+2")]
    [InlineData("2026-11-01T12:00:00+02:")]
    [InlineData("2026-11-01T12:00:00+02:3")]
    [InlineData("2026-11-01T12:00:00+24:00")]
    [InlineData("2026-11-01T12:00:00+02:60")]
    [InlineData("2026-11-01T12:00:00ZZ")]
    [InlineData("2026-11-01T12:00:00Z ")]
    [InlineData(" 2026-11-01T12:00:00Z")]
    [InlineData("+2026-11-01T12:00:00Z")]
    [InlineData("2026-1a-01T12:00:00Z")]
    public void TryParseMicros_Invalid_ReturnsFalse(string text)
    {
        Assert.False(Iso8601.TryParseMicros(Encoding.UTF8.GetBytes(text), out _));
    }

    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00Z")]
    [InlineData(1_793_534_400_123_000L, "2026-11-01T12:00:00.123Z")]
    [InlineData(1_793_534_400_123_400L, "2026-11-01T12:00:00.123400Z")]
    [InlineData(1_793_534_400_000_001L, "2026-11-01T12:00:00.000001Z")]
    [InlineData(-1L, "1969-12-31T23:59:59.999999Z")]
    [InlineData(-1_000L, "1969-12-31T23:59:59.999Z")]
    public void FormatMicros_Value_UsesShortestExactForm(long micros, string expected)
    {
        Assert.Equal(expected, Iso8601.FormatMicros(micros));
    }

    [Fact]
    public void FormatMicros_MatchesDateTimeOffsetAcrossManyValues()
    {
        var state = 12345UL;
        for (var i = 0; i < 10_000; i++)
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            var micros = (long)(state >> 8) % 4_000_000_000_000_000L;
            var expected = DateTimeOffset.UnixEpoch.AddTicks(micros * 10)
                .ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

            Assert.True(Iso8601.TryParseMicros(Encoding.ASCII.GetBytes(expected), out var parsed));
            Assert.Equal(micros, parsed);
            Assert.True(Iso8601.TryParseMicros(Encoding.ASCII.GetBytes(Iso8601.FormatMicros(micros)), out var roundTrip));
            Assert.Equal(micros, roundTrip);
        }
    }

    [Fact]
    public void TryFormatMicros_ShortDestination_ReturnsFalse()
    {
        Assert.False(Iso8601.TryFormatMicros(1, new byte[26], out var written));
        Assert.Equal(0, written);
        Assert.True(Iso8601.TryFormatMicros(1, new byte[Iso8601.MaxFormattedLength], out written));
        Assert.Equal(27, written);
    }

    [Fact]
    public void FormatMicros_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Iso8601.FormatMicros(long.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => Iso8601.FormatMicros(long.MinValue));
    }
}
