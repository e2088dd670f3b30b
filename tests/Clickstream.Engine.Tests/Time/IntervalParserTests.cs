using Clickstream.Engine.Time;

namespace Clickstream.Engine.Tests.Time;

public sealed class IntervalParserTests
{
    private const long Second = 1000;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;
    private const long Day = 24 * Hour;

    [Theory]
    [InlineData("10 seconds", 10 * Second)]
    [InlineData("1 second", Second)]
    [InlineData("10s", 10 * Second)]
    [InlineData("250ms", 250)]
    [InlineData("10m", 10 * Minute)]
    [InlineData("2h", 2 * Hour)]
    [InlineData("1d", Day)]
    [InlineData("1.5h", 90 * Minute)]
    [InlineData("1 minute 30 seconds", 90 * Second)]
    [InlineData("5 minutes 30 seconds", 330 * Second)]
    [InlineData("2 hours 15 minutes", 135 * Minute)]
    [InlineData("  10 Seconds  ", 10 * Second)]
    [InlineData("0 seconds", 0)]
    public void ParseMilliseconds_SupportedForms_ReturnsMilliseconds(string text, long expected)
    {
        Assert.Equal(expected, IntervalParser.ParseMilliseconds(text));
    }

    [Fact]
    public void ParseMilliseconds_YearsAndMonths_UsesSparkMonthOf31Days()
    {
        // Spark's watermark delay treats a month as 31 days and a year as 12 such months: 2·372 + 5·31 = 899 days.
        Assert.Equal(899 * Day, IntervalParser.ParseMilliseconds("2 years 5 months"));
    }

    [Theory]
    [InlineData("interval '1 2:3:4' day to second", Day + (2 * Hour) + (3 * Minute) + (4 * Second))]
    [InlineData("INTERVAL '0 0:0:1.5' DAY TO SECOND", 1500)]
    [InlineData("interval 10 minutes", 10 * Minute)]
    public void ParseMilliseconds_IntervalLiteral_ReturnsMilliseconds(string text, long expected)
    {
        Assert.Equal(expected, IntervalParser.ParseMilliseconds(text));
    }

    [Theory]
    [InlineData("-5 seconds")]
    [InlineData("-1 minute")]
    [InlineData("interval '-1 2:3:4' day to second")]
    public void ParseMilliseconds_Negative_ThrowsFormatException(string text)
    {
        var e = Assert.Throws<FormatException>(() => IntervalParser.ParseMilliseconds(text));
        Assert.Contains("negative", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("banana")]
    [InlineData("ten seconds")]
    [InlineData("10")]
    [InlineData("10 parsecs")]
    [InlineData("10 seconds banana")]
    [InlineData("10 seconds, 5 minutes")]
    [InlineData("interval '1 2:3' day to second")]
    [InlineData("10x")]
    public void ParseMilliseconds_Garbage_ThrowsFormatException(string text)
    {
        var e = Assert.Throws<FormatException>(() => IntervalParser.ParseMilliseconds(text));
        Assert.Contains(text.Trim(), e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("1000000000 years")]
    [InlineData("300000000 years 300000000 years")]
    [InlineData("99999999999999999999 seconds")]
    [InlineData("interval '999999999999 0:0:0' day to second")]
    public void ParseMilliseconds_BeyondInt64Milliseconds_ThrowsFormatException(string text)
    {
        // Spark rejects an interval that overflows (ArithmeticException). Clamped to long.MaxValue or wrapped
        // around to a negative total, the value silently becomes another delay or a misleading error.
        long? returned = null;
        var e = Record.Exception(() => returned = IntervalParser.ParseMilliseconds(text));

        Assert.True(e is FormatException, $"'{text}' returned {returned} instead of failing");
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("negative", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseMilliseconds_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => IntervalParser.ParseMilliseconds(null!));
    }
}
