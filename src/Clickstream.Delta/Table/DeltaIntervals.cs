using System.Globalization;

namespace Clickstream.Delta.Table;

/// <summary>
/// Table-property durations in the form Spark writes them (<c>interval 7 days</c>, <c>interval 1 week</c>,
/// <c>interval 2 hours 30 minutes</c>) and the defaults of the protocol's retention properties.
/// </summary>
public static class DeltaIntervals
{
    /// <summary>Default <c>delta.deletedFileRetentionDuration</c>: one week.</summary>
    public static readonly TimeSpan DefaultDeletedFileRetention = TimeSpan.FromDays(7);

    /// <summary>Default <c>delta.logRetentionDuration</c>: 30 days.</summary>
    public static readonly TimeSpan DefaultLogRetention = TimeSpan.FromDays(30);

    /// <summary>Parses a Spark interval string; throws <see cref="FormatException"/> with the offending text.</summary>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = text.Trim().ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var i = tokens.Length > 0 && tokens[0] == "interval" ? 1 : 0;
        if (i >= tokens.Length || (tokens.Length - i) % 2 != 0)
        {
            throw new FormatException($"'{text}' is not an interval such as 'interval 7 days'");
        }

        var total = TimeSpan.Zero;
        for (; i < tokens.Length; i += 2)
        {
            if (!double.TryParse(tokens[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0)
            {
                throw new FormatException($"'{text}': '{tokens[i]}' is not a non-negative number");
            }

            total += tokens[i + 1].TrimEnd('s') switch
            {
                "week" => TimeSpan.FromDays(7 * n),
                "day" => TimeSpan.FromDays(n),
                "hour" => TimeSpan.FromHours(n),
                "minute" => TimeSpan.FromMinutes(n),
                "second" => TimeSpan.FromSeconds(n),
                "millisecond" => TimeSpan.FromMilliseconds(n),
                _ => throw new FormatException($"'{text}': unknown unit '{tokens[i + 1]}'"),
            };
        }

        return total;
    }

    /// <summary>A duration property of a table, or its default when absent.</summary>
    public static TimeSpan Property(Snapshot snapshot, string key, TimeSpan fallback)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var value = snapshot.Property(key);
        if (value is null)
        {
            return fallback;
        }

        try
        {
            return Parse(value);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new DeltaFormatException($"table property {key} = '{value}': {e.Message}", e);
        }
    }
}
