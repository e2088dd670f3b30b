using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Parquet;

/// <summary>
/// Renders Delta per-file statistics: <c>{"numRecords":N,"minValues":{…},"maxValues":{…},"nullCount":{…}}</c> with
/// the rules of the protocol notes §3: bounds only for numbers, dates, timestamps and strings; none for an all-null
/// column or a float column holding NaN; string min cut to 32 characters (never inside a surrogate pair) and string
/// max left out when longer than 32; timestamps as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>; dates as <c>yyyy-MM-dd</c>.
/// </summary>
internal static class StatsJson
{
    /// <summary>Spark's <c>dataSkippingStringPrefixLength</c>.</summary>
    public const int StringPrefixLength = 32;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The stats JSON of a file with <paramref name="numRecords"/> rows; <paramref name="stats"/>[i] belongs to
    /// <paramref name="schema"/> column i, and columns without statistics (null entries) are left out.
    /// </summary>
    public static string Render(long numRecords, StructType schema, IReadOnlyList<ColumnStatistics?> stats)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("numRecords", numRecords);
            writer.WriteStartObject("minValues");
            for (var i = 0; i < stats.Count; i++)
            {
                if (stats[i] is { } column && HasBounds(column))
                {
                    WriteMin(writer, schema.Fields[i].Name, column);
                }
            }

            writer.WriteEndObject();
            writer.WriteStartObject("maxValues");
            for (var i = 0; i < stats.Count; i++)
            {
                if (stats[i] is { } column && HasBounds(column))
                {
                    WriteMax(writer, schema.Fields[i].Name, column);
                }
            }

            writer.WriteEndObject();
            writer.WriteStartObject("nullCount");
            for (var i = 0; i < stats.Count; i++)
            {
                if (stats[i] is { } column)
                {
                    writer.WriteNumber(schema.Fields[i].Name, column.NullCount);
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The longest prefix of at most 32 UTF-16 units that does not end inside a surrogate pair.</summary>
    public static string StringPrefix(string value)
    {
        if (value.Length <= StringPrefixLength)
        {
            return value;
        }

        var length = char.IsHighSurrogate(value[StringPrefixLength - 1]) ? StringPrefixLength - 1 : StringPrefixLength;
        return value[..length];
    }

    private static bool HasBounds(ColumnStatistics column) => column.Kind != StatsKind.None && column.HasBounds && !column.HasNaN;

    private static void WriteMin(Utf8JsonWriter writer, string name, ColumnStatistics column)
    {
        switch (column.Kind)
        {
            case StatsKind.Integer:
                writer.WriteNumber(name, column.MinInteger);
                break;
            case StatsKind.Double or StatsKind.Float:
                WriteReal(writer, name, column.MinReal, column.Kind);
                break;
            case StatsKind.Date:
                writer.WriteString(name, DeltaTime.FormatDate(column.MinInteger));
                break;
            case StatsKind.Timestamp:
                writer.WriteString(name, DeltaTime.FormatTimestamp(column.MinInteger));
                break;
            case StatsKind.String:
                writer.WriteString(name, StringPrefix(column.MinString!));
                break;
        }
    }

    private static void WriteMax(Utf8JsonWriter writer, string name, ColumnStatistics column)
    {
        switch (column.Kind)
        {
            case StatsKind.Integer:
                writer.WriteNumber(name, column.MaxInteger);
                break;
            case StatsKind.Double or StatsKind.Float:
                WriteReal(writer, name, column.MaxReal, column.Kind);
                break;
            case StatsKind.Date:
                writer.WriteString(name, DeltaTime.FormatDate(column.MaxInteger));
                break;
            case StatsKind.Timestamp:
                writer.WriteString(name, DeltaTime.FormatTimestamp(column.MaxInteger));
                break;
            case StatsKind.String when column.MaxString!.Length <= StringPrefixLength:
                // A longer max would need Spark's tie-breaker suffix; leaving it out means "unknown", which is safe.
                writer.WriteString(name, column.MaxString);
                break;
        }
    }

    private static void WriteReal(Utf8JsonWriter writer, string name, double value, StatsKind kind)
    {
        // JSON has no infinities: an infinite bound is left out (missing means unknown).
        if (!double.IsFinite(value))
        {
            return;
        }

        if (kind == StatsKind.Float)
        {
            writer.WriteNumber(name, (float)value);
        }
        else
        {
            writer.WriteNumber(name, value);
        }
    }
}
