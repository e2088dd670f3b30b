using System.Buffers;
using System.Text.Json;

namespace Clickstream.Collector.Ingest;

/// <summary>
/// Turns one client event into one landed NDJSON line. A JSON object gets <c>received_at</c>, <c>client_ip</c>
/// and (unless it has one) <c>user_agent</c> spliced in before its closing brace; the client's own bytes are kept
/// as they are, except that line breaks between tokens become spaces so the event stays on one line. Anything
/// that is not a single JSON object is landed unchanged for the stream job to quarantine.
/// </summary>
internal sealed class EventLander
{
    private static readonly byte[] UserAgentName = "user_agent"u8.ToArray();

    private readonly byte[] _stamp;
    private readonly byte[] _userAgent;

    /// <param name="receivedAt">ISO-8601 UTC with milliseconds.</param>
    /// <param name="clientIp">Already anonymised.</param>
    /// <param name="userAgent">The request's User-Agent header, or null.</param>
    public EventLander(string receivedAt, string clientIp, string? userAgent)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("received_at", receivedAt);
            writer.WriteString("client_ip", clientIp);
            writer.Flush();
        }

        // Written as {"received_at":"…","client_ip":"…" ; keep the members without the opening brace.
        _stamp = buffer.WrittenSpan[1..].ToArray();
        if (userAgent is null)
        {
            _userAgent = [];
        }
        else
        {
            buffer.ResetWrittenCount();
            using var writer = new Utf8JsonWriter(buffer);
            writer.WriteStartObject();
            writer.WriteString("user_agent", userAgent);
            writer.Flush();
            _userAgent = [(byte)',', .. buffer.WrittenSpan[1..]];
        }
    }

    /// <summary>Appends the landed form of <paramref name="evt"/> and a newline to <paramref name="output"/>.</summary>
    public void Land(ReadOnlySpan<byte> evt, IBufferWriter<byte> output)
    {
        var trimmed = evt.Trim(" \t\r\n"u8);
        if (!TryScanObject(trimmed, out var empty, out var hasUserAgent))
        {
            Write(output, evt.TrimEnd((byte)'\r'));
            Write(output, "\n"u8);
            return;
        }

        var body = trimmed[..^1];
        var span = output.GetSpan(body.Length);
        body.CopyTo(span);
        span[..body.Length].Replace((byte)'\n', (byte)' ');
        span[..body.Length].Replace((byte)'\r', (byte)' ');
        output.Advance(body.Length);
        if (!empty)
        {
            Write(output, ","u8);
        }

        Write(output, _stamp);
        if (!hasUserAgent)
        {
            Write(output, _userAgent);
        }

        Write(output, "}\n"u8);
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    /// <summary>True when the text is exactly one JSON object; reports whether it is empty and has user_agent.</summary>
    private static bool TryScanObject(ReadOnlySpan<byte> text, out bool empty, out bool hasUserAgent)
    {
        empty = true;
        hasUserAgent = false;
        if (text.IsEmpty || text[0] != (byte)'{')
        {
            return false;
        }

        var reader = new Utf8JsonReader(text, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            reader.Read();
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
                {
                    return !reader.Read();
                }

                // A top-level member name; its value is skipped whole.
                empty = false;
                if (reader.ValueTextEquals(UserAgentName))
                {
                    hasUserAgent = true;
                }

                reader.Read();
                reader.Skip();
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The <c>received_at</c> text: ISO-8601 UTC with milliseconds and <c>Z</c>.</summary>
    public static string FormatReceivedAt(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
