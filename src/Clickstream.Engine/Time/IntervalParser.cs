using System.Globalization;
using System.Text.RegularExpressions;

namespace Clickstream.Engine.Time;

/// <summary>
/// Parses Spark-style interval strings into milliseconds: <c>"10 seconds"</c>, <c>"5 minutes 30 seconds"</c>,
/// <c>"2 years 5 months"</c> (a month is 31 days and a year 12 months, as Spark's watermark delay does),
/// <c>"interval '1 2:3:4' day to second"</c>, and the short forms <c>10s</c>, <c>10m</c>, <c>2h</c>, <c>250ms</c>, <c>1d</c>.
/// </summary>
public static partial class IntervalParser
{
    private const long Second = 1000;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;
    private const long Day = 24 * Hour;

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming the problem.</summary>
    public static long ParseMilliseconds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return Parse(text);
        }
        catch (OverflowException)
        {
            throw new FormatException($"interval '{text}' is too large");
        }
    }

    private static long Parse(string text)
    {
        var s = text.Trim().ToLowerInvariant();
        if (s.StartsWith("interval", StringComparison.Ordinal))
        {
            s = s["interval".Length..].Trim();
        }

        var ansi = AnsiDayToSecond().Match(s);
        if (ansi.Success)
        {
            var sign = ansi.Groups["neg"].Success ? -1 : 1;
            var ms = (Number(ansi.Groups["d"].Value) * Day)
                + (Number(ansi.Groups["h"].Value) * Hour)
                + (Number(ansi.Groups["m"].Value) * Minute)
                + (Number(ansi.Groups["s"].Value) * Second);
            return Checked(sign * ms, text);
        }

        var compact = Compact().Match(s);
        if (compact.Success)
        {
            var n = Number(compact.Groups["n"].Value);
            return Checked(n * UnitMs(compact.Groups["u"].Value, text), text);
        }

        var matches = Words().Matches(s);
        if (matches.Count == 0 || Words().Replace(s, string.Empty).Trim().Length != 0)
        {
            throw new FormatException($"'{text}' is not an interval; expected e.g. '10 minutes', '30s' or '2 hours 15 minutes'");
        }

        decimal total = 0;
        foreach (Match m in matches)
        {
            total += Number(m.Groups["n"].Value) * UnitMs(m.Groups["u"].Value, text);
        }

        return Checked(total, text);
    }

    // Decimal arithmetic: exact for fractions of units, and large values fail here instead of wrapping around.
    private static decimal Number(string digits) =>
        decimal.TryParse(digits, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"'{digits}' is too large for an interval");

    private static long Checked(decimal ms, string text)
    {
        if (ms < 0)
        {
            throw new FormatException($"interval '{text}' must not be negative");
        }

        var rounded = Math.Round(ms);
        return rounded > long.MaxValue
            ? throw new FormatException($"interval '{text}' is too large (more than {long.MaxValue} ms)")
            : (long)rounded;
    }

    private static long UnitMs(string unit, string text) => unit switch
    {
        "ms" or "millisecond" or "milliseconds" => 1,
        "s" or "sec" or "secs" or "second" or "seconds" => Second,
        "m" or "min" or "mins" or "minute" or "minutes" => Minute,
        "h" or "hour" or "hours" => Hour,
        "d" or "day" or "days" => Day,
        "w" or "week" or "weeks" => 7 * Day,
        "month" or "months" => 31 * Day,
        "y" or "year" or "years" => 12 * 31 * Day,
        _ => throw new FormatException($"unknown unit '{unit}' in interval '{text}'"),
    };

    [GeneratedRegex(@"^'(?<neg>-)?(?<d>\d+) (?<h>\d+):(?<m>\d+):(?<s>\d+(\.\d+)?)'\s+day\s+to\s+second$")]
    private static partial Regex AnsiDayToSecond();

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)(?<u>ms|s|m|h|d|w|y)$")]
    private static partial Regex Compact();

    [GeneratedRegex(@"(?<n>-?\d+(\.\d+)?)\s*(?<u>[a-z]+)")]
    private static partial Regex Words();
}
