using System.Globalization;
using System.Text.Json;

namespace Clickstream.Engine.Tests.SparkVectors;

/// <summary>Value conversions between the vectors' JSON and the rows the harness runs, and a canonical form for comparing them.</summary>
internal static class VectorValues
{
    /// <summary>A timestamp value in a row (µs), so outputs can be compared with ISO-8601 strings.</summary>
    public readonly record struct Timestamp(long Micros);

    public static object? FromJson(JsonElement e, string type) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number when type is "double" or "float" => (object)e.GetDouble(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : (object)e.GetDouble(),
        JsonValueKind.String when type == "timestamp" => new Timestamp(ParseIsoMicros(e.GetString()!)),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new NotSupportedException($"value {e} of kind {e.ValueKind}"),
    };

    public static long ParseIsoMicros(string s)
    {
        var t = DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        return (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
    }

    public static bool TryParseIsoMicros(string s, out long micros)
    {
        micros = 0;
        if (s.Length < 10 || !char.IsDigit(s[0]) || s[4] != '-' ||
            !DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            return false;
        }

        micros = (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return true;
    }

    /// <summary>A canonical text for a value: numbers by value, timestamps by instant, strings as they are.</summary>
    public static string Canonical(object? v) => v switch
    {
        null => "null",
        Timestamp t => "ts:" + t.Micros.ToString(CultureInfo.InvariantCulture),
        long l => "n:" + l.ToString(CultureInfo.InvariantCulture),
        int i => "n:" + i.ToString(CultureInfo.InvariantCulture),
        double d => "n:" + Num((decimal)d),
        bool b => b ? "true" : "false",
        string s when TryParseIsoMicros(s, out var m) => "ts:" + m.ToString(CultureInfo.InvariantCulture),
        string s => "s:" + s,
        JsonElement e => CanonicalJson(e),
        _ => "?" + v,
    };

    public static string CanonicalRow(IEnumerable<object?> row) => "[" + string.Join(", ", row.Select(Canonical)) + "]";

    public static List<string> CanonicalRows(JsonElement rows)
    {
        var list = new List<string>();
        foreach (var row in rows.EnumerateArray())
        {
            list.Add(CanonicalRow(row.EnumerateArray().Select(e => (object?)e)));
        }

        list.Sort(StringComparer.Ordinal);
        return list;
    }

    public static List<string> CanonicalRows(IEnumerable<object?[]> rows)
    {
        var list = rows.Select(r => CanonicalRow(r)).ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    private static string Num(decimal d) => d.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string CanonicalJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Number => "n:" + Num(e.GetDecimal()),
        JsonValueKind.String => Canonical(e.GetString()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => e.GetRawText(),
    };
}
