using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>
/// The reference model's validation of one input line, written from the definition with
/// <see cref="JsonDocument"/> and a regular expression, sharing no code with the job's parser: a JSON object whose
/// <c>event_id</c>, <c>event_type</c>, <c>timestamp</c>, <c>user_id</c> and <c>session_id</c> are non-empty
/// strings, the timestamp ISO-8601 with <c>Z</c> or an offset. A key given twice counts by its last occurrence;
/// <c>category</c> and <c>product_id</c> count only when they are non-empty strings. When a line has several
/// problems the first in this order is reported: too long, empty, not UTF-8, not JSON or not an object, then the
/// required fields in the order above.
/// </summary>
internal static partial class ReferenceParser
{
    public const int MaxLineBytes = 32 * 1024;

    private static readonly string[] Required = ["event_id", "event_type", "timestamp", "user_id", "session_id"];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static ModelLine Parse(byte[] line)
    {
        if (line.Length > MaxLineBytes)
        {
            return ModelLine.Invalid("too_large");
        }

        var text = Trim(line);
        if (text.Length == 0)
        {
            return ModelLine.Invalid("not_json");
        }

        try
        {
            StrictUtf8.GetString(text);
        }
        catch (DecoderFallbackException)
        {
            return ModelLine.Invalid("bad_encoding");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, DocumentOptions);
        }
        catch (JsonException)
        {
            return ModelLine.Invalid("not_json", TimestampBeforeError(text));
        }

        using (doc)
        {
            return doc.RootElement.ValueKind == JsonValueKind.Object ? FromObject(doc.RootElement) : ModelLine.Invalid("not_an_object");
        }
    }

    /// <summary>Parses an ISO-8601 instant with a required zone into UTC microseconds (digits below the microsecond dropped).</summary>
    public static long? ParseTimestamp(string text)
    {
        var m = TimestampPattern().Match(text);
        if (!m.Success)
        {
            return null;
        }

        int Part(string name) => int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture);
        var (year, month, day) = (Part("y"), Part("mo"), Part("d"));
        var (hour, minute, second) = (Part("h"), Part("mi"), Part("s"));
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return null;
        }

        var offsetMinutes = 0;
        if (m.Groups["zone"].Value != "Z")
        {
            var oh = Part("oh");
            var om = m.Groups["om"].Success ? Part("om") : 0;
            if (oh > 23 || om > 59)
            {
                return null;
            }

            offsetMinutes = (m.Groups["sign"].Value == "-" ? -1 : 1) * ((oh * 60) + om);
        }

        var fraction = m.Groups["f"].Success ? m.Groups["f"].Value.PadRight(6, '0')[..6] : "000000";
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        var micros = ((local.Ticks - DateTime.UnixEpoch.Ticks) / 10) + long.Parse(fraction, CultureInfo.InvariantCulture) - (offsetMinutes * 60_000_000L);

        // An instant the zone moves outside years 0001–9999 UTC is not a timestamp.
        var utc = DateTime.UnixEpoch.Ticks + (micros * 10);
        return utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks ? null : micros;
    }

    [GeneratedRegex(@"\A(?<y>[0-9]{4})-(?<mo>[0-9]{2})-(?<d>[0-9]{2})T(?<h>[0-9]{2}):(?<mi>[0-9]{2}):(?<s>[0-9]{2})(\.(?<f>[0-9]{1,9}))?(?<zone>Z|(?<sign>[+-])(?<oh>[0-9]{2})(:?(?<om>[0-9]{2}))?)\z", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();

    private static ModelLine FromObject(JsonElement root)
    {
        // The last occurrence of a key wins.
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (TryName(property, out var name))
            {
                fields[name] = property.Value;
            }
        }

        var values = new string?[Required.Length];
        string? problem = null;
        for (var i = 0; i < Required.Length; i++)
        {
            var reason = RequiredString(fields, Required[i], out values[i]);
            if (reason is null && i == 2 && ParseTimestamp(values[i]!) is null)
            {
                reason = "bad_timestamp";
            }

            problem ??= reason;
        }

        var time = values[2] is { } t ? ParseTimestamp(t) : null;
        if (problem is not null)
        {
            return ModelLine.Invalid(problem, time);
        }

        return ModelLine.Valid(new ModelEvent(values[0]!, values[1]!, time!.Value, values[3]!, values[4]!, Optional(fields, "category"), Optional(fields, "product_id")));
    }

    private static string? RequiredString(Dictionary<string, JsonElement> fields, string name, out string? value)
    {
        value = null;
        if (!fields.TryGetValue(name, out var element))
        {
            return "missing_field";
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return "wrong_type";
        }

        if (!TryString(element, out var s))
        {
            return "bad_encoding";
        }

        if (s.Length == 0)
        {
            return "empty_field";
        }

        value = s;
        return null;
    }

    private static string? Optional(Dictionary<string, JsonElement> fields, string name) =>
        fields.TryGetValue(name, out var e) && e.ValueKind == JsonValueKind.String && TryString(e, out var s) && s.Length > 0 ? s : null;

    /// <summary>
    /// For a line that is not valid JSON: the event time when the last top-level <c>timestamp</c> read before the
    /// error was a valid one, so the invalid line is still counted in its event-time window.
    /// </summary>
    private static long? TimestampBeforeError(byte[] text)
    {
        long? time = null;
        var reader = new Utf8JsonReader(text, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string? name;
                try
                {
                    name = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    name = null;
                }

                if (name != "timestamp")
                {
                    reader.Skip();
                    continue;
                }

                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    string? value;
                    try
                    {
                        value = reader.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        value = null;
                    }

                    time = value is null ? null : ParseTimestamp(value);
                }
                else
                {
                    reader.Skip();
                    time = null;
                }
            }
        }
        catch (JsonException)
        {
            // The error ends the scan; what was read before it stands.
        }

        return time;
    }

    private static bool TryName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = string.Empty;
            return false;
        }
    }

    private static bool TryString(JsonElement element, out string value)
    {
        try
        {
            value = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = string.Empty;
            return false;
        }
    }

    private static byte[] Trim(byte[] line)
    {
        var span = line.AsSpan().Trim(" \t\r\n"u8);
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..].TrimStart(" \t\r\n"u8);
        }

        return span.ToArray();
    }
}
