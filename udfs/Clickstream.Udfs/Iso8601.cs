using System.Text;

namespace Clickstream.Udfs;

/// <summary>
/// ISO-8601 instants as UTC microseconds since the Unix epoch, straight from and to UTF-8 bytes so that the
/// event parser never builds a string or a <see cref="DateTimeOffset"/> per event.
/// </summary>
/// <remarks>
/// Accepted (extended format only): <c>yyyy-MM-ddTHH:mm:ss</c>, then optionally <c>.</c> and 1–9 fraction
/// digits (digits below the microsecond are truncated), then a zone that is required: <c>Z</c>, or an offset
/// <c>±HH</c>, <c>±HHmm</c> or <c>±HH:mm</c> (hours 00–23, minutes 00–59). Rejected: a missing zone, a missing
/// seconds field, lowercase <c>t</c>/<c>z</c>, a space instead of <c>T</c>, leap seconds (<c>:60</c>), hour 24,
/// and dates that do not exist (<c>2026-02-29</c>). Years run from 0001 to 9999.
/// </remarks>
public static class Iso8601
{
    /// <summary>Longest text <see cref="TryFormatMicros"/> writes: <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>.</summary>
    public const int MaxFormattedLength = 27;

    private const long MicrosPerSecond = 1_000_000;
    private const long MicrosPerDay = 86_400 * MicrosPerSecond;
    private static readonly int UnixEpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
    private static readonly long MinMicros = (DateTime.MinValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
    private static readonly long MaxMicros = (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>Parses an instant in the format described on the class; false (never an exception) when it is not one.</summary>
    public static bool TryParseMicros(ReadOnlySpan<byte> utf8, out long micros)
    {
        micros = 0;

        // "yyyy-MM-ddTHH:mm:ss" is 19 bytes and a zone adds at least one.
        if (utf8.Length < 20
            || !TryDigits(utf8, 0, 4, out var year) || utf8[4] != '-'
            || !TryDigits(utf8, 5, 2, out var month) || utf8[7] != '-'
            || !TryDigits(utf8, 8, 2, out var day) || utf8[10] != 'T'
            || !TryDigits(utf8, 11, 2, out var hour) || utf8[13] != ':'
            || !TryDigits(utf8, 14, 2, out var minute) || utf8[16] != ':'
            || !TryDigits(utf8, 17, 2, out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var pos = 19;
        long fraction = 0;
        if (utf8[pos] == '.')
        {
            pos++;
            var digits = 0;
            while (pos < utf8.Length && IsDigit(utf8[pos]))
            {
                if (digits < 6)
                {
                    fraction = (fraction * 10) + (utf8[pos] - '0');
                }

                digits++;
                pos++;
            }

            if (digits is 0 or > 9)
            {
                return false;
            }

            for (var i = digits; i < 6; i++)
            {
                fraction *= 10;
            }
        }

        if (!TryParseZone(utf8[pos..], out var offsetMinutes))
        {
            return false;
        }

        long days = new DateOnly(year, month, day).DayNumber - UnixEpochDayNumber;
        long secondsOfDay = (((hour * 60) + minute) * 60) + second;
        micros = (days * MicrosPerDay) + (secondsOfDay * MicrosPerSecond) + fraction - (offsetMinutes * 60 * MicrosPerSecond);

        // The zone can move the instant out of years 0001–9999 UTC (9999-12-31T23:30:00-01:00); such an instant
        // has no UTC date or timestamp any store can hold, so it is not a valid timestamp.
        if (micros < MinMicros || micros > MaxMicros)
        {
            micros = 0;
            return false;
        }

        return true;
    }

    /// <summary>
    /// Formats <paramref name="micros"/> as UTC: <c>yyyy-MM-ddTHH:mm:ssZ</c> on a whole second,
    /// <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> on a whole millisecond, otherwise <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>.
    /// The shortest exact form keeps common timestamps readable; every form parses back to the same value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The instant is outside years 0001–9999.</exception>
    public static string FormatMicros(long micros)
    {
        Span<byte> buffer = stackalloc byte[MaxFormattedLength];
        TryFormatMicros(micros, buffer, out var written);
        return Encoding.ASCII.GetString(buffer[..written]);
    }

    /// <summary>Writes the <see cref="FormatMicros"/> text as UTF-8; false when <paramref name="utf8Destination"/> is too short.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The instant is outside years 0001–9999.</exception>
    public static bool TryFormatMicros(long micros, Span<byte> utf8Destination, out int bytesWritten)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(micros, MinMicros);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(micros, MaxMicros);

        var time = new DateTime(DateTime.UnixEpoch.Ticks + (micros * TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);
        var subSecond = (int)((time.Ticks % TimeSpan.TicksPerSecond) / TimeSpan.TicksPerMicrosecond);
        var fractionDigits = subSecond == 0 ? 0 : subSecond % 1000 == 0 ? 3 : 6;
        var length = 20 + (fractionDigits == 0 ? 0 : fractionDigits + 1);
        if (utf8Destination.Length < length)
        {
            bytesWritten = 0;
            return false;
        }

        var d = utf8Destination;
        WriteDigits(d, 0, 4, time.Year);
        d[4] = (byte)'-';
        WriteDigits(d, 5, 2, time.Month);
        d[7] = (byte)'-';
        WriteDigits(d, 8, 2, time.Day);
        d[10] = (byte)'T';
        WriteDigits(d, 11, 2, time.Hour);
        d[13] = (byte)':';
        WriteDigits(d, 14, 2, time.Minute);
        d[16] = (byte)':';
        WriteDigits(d, 17, 2, time.Second);
        if (fractionDigits > 0)
        {
            d[19] = (byte)'.';
            WriteDigits(d, 20, fractionDigits, fractionDigits == 3 ? subSecond / 1000 : subSecond);
        }

        d[length - 1] = (byte)'Z';
        bytesWritten = length;
        return true;
    }

    private static bool TryParseZone(ReadOnlySpan<byte> zone, out int offsetMinutes)
    {
        offsetMinutes = 0;
        if (zone.Length == 1 && zone[0] == 'Z')
        {
            return true;
        }

        if (zone.Length < 3 || zone[0] is not ((byte)'+' or (byte)'-') || !TryDigits(zone, 1, 2, out var hours))
        {
            return false;
        }

        var minutes = 0;
        var ok = zone.Length switch
        {
            3 => true,
            5 => TryDigits(zone, 3, 2, out minutes),
            6 => zone[3] == ':' && TryDigits(zone, 4, 2, out minutes),
            _ => false,
        };
        if (!ok || hours > 23 || minutes > 59)
        {
            return false;
        }

        offsetMinutes = (zone[0] == '-' ? -1 : 1) * ((hours * 60) + minutes);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!IsDigit(text[i]))
            {
                return false;
            }

            value = (value * 10) + (text[i] - '0');
        }

        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static void WriteDigits(Span<byte> destination, int start, int count, int value)
    {
        for (var i = start + count - 1; i >= start; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
