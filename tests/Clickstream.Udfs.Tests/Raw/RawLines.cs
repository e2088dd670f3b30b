using System.Text;
using System.Text.Json;
using Clickstream.Udfs.Raw;

namespace Clickstream.Udfs.Tests.Raw;

/// <summary>Event lines and one-line extraction for the raw column tests.</summary>
internal static class RawLines
{
    public const string Required =
        "\"event_id\":\"e-1\",\"event_type\":\"page_view\",\"timestamp\":\"2026-11-01T12:00:00Z\",\"user_id\":\"u-1\",\"session_id\":\"s-1\"";

    /// <summary>An event with the required fields, then <paramref name="extra"/> (which starts with a comma).</summary>
    public static string Event(string extra = "") => "{" + Required + extra + "}";

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Extracts one line into a fresh set of columns, asserting that it was accepted.</summary>
    public static RawEventColumns Extract(string line)
    {
        var columns = new RawEventColumns(4);
        Assert.True(new RawEventExtractor().Append(Utf8(line), columns), line);
        Assert.Equal(1, columns.Count);
        return columns;
    }

    /// <summary>The single row's properties, parsed.</summary>
    public static JsonElement Properties(string line) => Parse(Extract(line).Properties[0]);

    public static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    /// <summary>The member names of an object, in order (duplicates included).</summary>
    public static string[] Names(JsonElement obj) => [.. obj.EnumerateObject().Select(p => p.Name)];

    public static long Micros(string iso)
    {
        var t = DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
        return (t.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
    }

    /// <summary>True when the JSON text has no whitespace outside its strings.</summary>
    public static bool IsCompact(string json)
    {
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c is ' ' or '\t' or '\r' or '\n')
            {
                return false;
            }
            else
            {
                inString = c == '"';
            }
        }

        return true;
    }
}
