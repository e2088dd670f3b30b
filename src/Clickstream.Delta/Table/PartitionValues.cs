using System.Globalization;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Table;

/// <summary>
/// Partition values as the log serialises them (protocol "Partition Value Serialization"): strings unchanged,
/// numbers as decimal text, dates <c>yyyy-MM-dd</c>, timestamps as ISO-8601 UTC (or the legacy zone-less form on
/// read), booleans <c>true</c>/<c>false</c>; JSON null or an empty string mean SQL NULL.
/// </summary>
public static class PartitionValues
{
    /// <summary>Formats a date partition value.</summary>
    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The date partition value of an instant in microseconds since the epoch (its UTC date).</summary>
    public static DateOnly UtcDateOfMicros(long micros) =>
        DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)Math.Floor(micros / 86_400_000_000.0));

    /// <summary>Parses a serialised partition value into the CLR value of <paramref name="type"/> (null for SQL NULL).</summary>
    public static object? Parse(string? value, DeltaType type)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (type is not PrimitiveType p)
        {
            throw new DeltaFormatException($"partition columns must be primitive, not {type}");
        }

        var inv = CultureInfo.InvariantCulture;
        try
        {
            return p.Name switch
            {
                "string" => value,
                "long" => long.Parse(value, inv),
                "integer" => int.Parse(value, inv),
                "short" => short.Parse(value, inv),
                "byte" => sbyte.Parse(value, inv),
                "float" => float.Parse(value, inv),
                "double" => double.Parse(value, inv),
                "boolean" => bool.Parse(value),
                "date" => DateOnly.ParseExact(value, "yyyy-MM-dd", inv),
                "timestamp" or "timestamp_ntz" => ParseTimestamp(value),
                "binary" => System.Text.Encoding.UTF8.GetBytes(value),
                _ when p.IsDecimal => decimal.Parse(value, NumberStyles.Number | NumberStyles.AllowExponent, inv),
                _ => throw new DeltaFormatException($"unsupported partition column type {p}"),
            };
        }
        catch (FormatException e)
        {
            throw new DeltaFormatException($"partition value '{value}' is not a valid {p}", e);
        }
        catch (OverflowException e)
        {
            throw new DeltaFormatException($"partition value '{value}' is out of range for {p}", e);
        }
    }

    /// <summary>
    /// Parses a timestamp partition value: ISO-8601 with an offset or <c>Z</c>, or the legacy zone-less
    /// <c>yyyy-MM-dd HH:mm:ss[.ffffff]</c>, which is read as UTC.
    /// </summary>
    public static DateTimeOffset ParseTimestamp(string value)
    {
        var styles = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;
        return DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, styles).ToUniversalTime();
    }
}
