using System.Globalization;

namespace Clickstream.Delta.Parquet;

/// <summary>Conversions between Delta's epoch-based date/timestamp values and .NET types.</summary>
internal static class DeltaTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    private static readonly int EpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>The date <paramref name="days"/> days after 1970-01-01.</summary>
    public static DateOnly DateFromDays(int days)
    {
        var dayNumber = (long)EpochDayNumber + days;
        return dayNumber is >= 0 and <= 3_652_058 // DateOnly.MaxValue.DayNumber
            ? DateOnly.FromDayNumber((int)dayNumber)
            : throw new ArgumentOutOfRangeException(nameof(days), days, "a date must fall in the years 0001..9999");
    }

    /// <summary>Whole milliseconds of <paramref name="micros"/>, rounded toward negative infinity.</summary>
    public static long FloorToMillis(long micros) => micros >= 0 ? micros / 1000 : ((micros + 1) / 1000) - 1;

    /// <summary>The UTC <see cref="DateTime"/> of <paramref name="millis"/> milliseconds since the epoch.</summary>
    public static DateTime UtcDateTimeFromMillis(long millis)
    {
        const long MinMillis = -62_135_596_800_000; // 0001-01-01
        const long MaxMillis = 253_402_300_799_999; // 9999-12-31T23:59:59.999
        return millis is >= MinMillis and <= MaxMillis
            ? new DateTime(DateTime.UnixEpoch.Ticks + (millis * TimeSpan.TicksPerMillisecond), DateTimeKind.Utc)
            : throw new ArgumentOutOfRangeException(nameof(millis), millis, "a timestamp must fall in the years 0001..9999");
    }

    /// <summary>A UTC instant read from Parquet (whatever its <see cref="DateTime.Kind"/>), exact to the microsecond.</summary>
    public static DateTimeOffset UtcFromParquet(DateTime value)
    {
        // INT96 and TIMESTAMP(isAdjustedToUTC) values are UTC instants; Parquet.Net marks some of them Unspecified
        // or Local without shifting the ticks, so the ticks are taken as they are.
        var ticks = value.Ticks - (value.Ticks % TicksPerMicrosecond);
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary><c>yyyy-MM-ddTHH:mm:ss.fffZ</c> for a timestamp of <paramref name="micros"/> (floored to the millisecond).</summary>
    public static string FormatTimestamp(long micros) =>
        UtcDateTimeFromMillis(FloorToMillis(micros)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>yyyy-MM-dd</c> for a date of <paramref name="days"/> since the epoch.</summary>
    public static string FormatDate(long days) =>
        DateFromDays(checked((int)days)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
