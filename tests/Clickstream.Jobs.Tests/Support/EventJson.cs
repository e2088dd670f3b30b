using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Clickstream.Jobs.Tests.Support;

/// <summary>Hand-written test events on 2026-11-01 (UTC), as NDJSON lines.</summary>
internal static class EventJson
{
    public const string Day = "2026-11-01";

    /// <summary>A valid event line; <paramref name="time"/> is <c>HH:mm:ss[.fff]</c> on <see cref="Day"/>, in UTC.</summary>
    public static string Of(string id, string type, string time, string session = "s-1", string user = "u-1", string? category = null, string? product = null) =>
        Raw(("event_id", id), ("event_type", type), ("timestamp", At(time)), ("user_id", user), ("session_id", session), ("category", category), ("product_id", product));

    /// <summary>An object of string fields in the given order; null values are left out.</summary>
    public static string Raw(params (string Name, string? Value)[] fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in fields)
            {
                if (value is not null)
                {
                    json.WriteString(name, value);
                }
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The ISO-8601 UTC text of <c>HH:mm:ss[.fff]</c> on <see cref="Day"/>.</summary>
    public static string At(string time) => $"{Day}T{time}Z";

    /// <summary>Microseconds since the epoch of <c>HH:mm[:ss[.fff]]</c> on <see cref="Day"/> (UTC).</summary>
    public static long Micros(string time)
    {
        var text = time.Length == 5 ? time + ":00" : time;
        var t = DateTimeOffset.Parse($"{Day}T{text}Z", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        return ExportRow.ToMicros(t);
    }
}
