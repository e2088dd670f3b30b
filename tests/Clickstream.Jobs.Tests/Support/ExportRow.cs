using System.Globalization;
using System.Text.Json;

namespace Clickstream.Jobs.Tests.Support;

/// <summary>One line of <c>clickstream export</c>: a metric's value for one window and key (null key: no dimension).</summary>
internal sealed record ExportRow(string Metric, long WindowStartMicros, long WindowEndMicros, string? Key, long Value)
{
    public const long MinuteMicros = 60_000_000;

    /// <summary>The identity of a row in the store: metric, window and key.</summary>
    public (string Metric, long Start, string? Key) Id => (Metric, WindowStartMicros, Key);

    /// <summary>Parses one NDJSON line of the export, checking that it has exactly the five documented fields.</summary>
    public static ExportRow Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var names = root.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["metric", "window_start", "window_end", "key", "value"], names);
        var key = root.GetProperty("key");
        return new ExportRow(
            root.GetProperty("metric").GetString()!,
            ParseInstant(root.GetProperty("window_start").GetString()!),
            ParseInstant(root.GetProperty("window_end").GetString()!),
            key.ValueKind == JsonValueKind.Null ? null : key.GetString(),
            root.GetProperty("value").GetInt64());
    }

    /// <summary>Parses every non-empty line of an export.</summary>
    public static IReadOnlyList<ExportRow> ParseAll(string export) =>
        [.. export.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse)];

    /// <summary>An ISO-8601 instant as microseconds since the Unix epoch.</summary>
    public static long ParseInstant(string text) =>
        ToMicros(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));

    public static long ToMicros(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>Formats microseconds since the epoch as a UTC instant, for messages and command-line options.</summary>
    public static string FormatMicros(long micros) =>
        DateTimeOffset.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public override string ToString() =>
        $"{Metric} [{FormatMicros(WindowStartMicros)}, {FormatMicros(WindowEndMicros)}) key={Key ?? "null"} value={Value.ToString(CultureInfo.InvariantCulture)}";
}
