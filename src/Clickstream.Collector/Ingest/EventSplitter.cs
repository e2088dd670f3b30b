using System.Text.Json;
using Clickstream.Collector.Metrics;

namespace Clickstream.Collector.Ingest;

/// <summary>
/// Splits a decoded request body into events and lands each one into the request's output buffer. The whole body
/// is checked before anything is appended to the stream, so a request is accepted or refused as a whole.
/// </summary>
internal static class EventSplitter
{
    /// <summary>NDJSON: one event per non-blank line, each landed as it is (invalid lines are the job's to quarantine).</summary>
    public static SplitResult SplitNdjson(ReadOnlySpan<byte> body, EventLander lander, PooledBuffer output, int maxEventBytes, int maxEvents)
    {
        var events = 0;
        var lineNumber = 0;
        var rest = SkipBom(body);
        while (!rest.IsEmpty)
        {
            var nl = rest.IndexOf((byte)'\n');
            var line = nl < 0 ? rest : rest[..nl];
            rest = nl < 0 ? [] : rest[(nl + 1)..];
            lineNumber++;
            line = line.TrimEnd((byte)'\r');
            if (line.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            if (++events > maxEvents)
            {
                return SplitResult.Fail(RejectReason.TooManyEvents, $"the request has more than {maxEvents} events; send at most {maxEvents} per request");
            }

            if (line.Length > maxEventBytes)
            {
                return SplitResult.Fail(RejectReason.EventTooLarge, $"the event on line {lineNumber} is {line.Length} bytes; the limit is {maxEventBytes} bytes per event");
            }

            lander.Land(line, output);
        }

        return new SplitResult(events, null, null);
    }

    /// <summary>A JSON array of events; a body that does not parse as one is refused whole.</summary>
    public static SplitResult SplitArray(ReadOnlySpan<byte> body, EventLander lander, PooledBuffer output, int maxEventBytes, int maxEvents)
    {
        body = SkipBom(body);
        var reader = new Utf8JsonReader(body);
        var events = 0;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return SplitResult.Fail(RejectReason.InvalidJson, "the body must be a JSON array of events, or NDJSON sent with Content-Type: application/x-ndjson");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var length = (int)reader.BytesConsumed - start;
                if (++events > maxEvents)
                {
                    return SplitResult.Fail(RejectReason.TooManyEvents, $"the request has more than {maxEvents} events; send at most {maxEvents} per request");
                }

                if (length > maxEventBytes)
                {
                    return SplitResult.Fail(RejectReason.EventTooLarge, $"event {events - 1} of the array is {length} bytes; the limit is {maxEventBytes} bytes per event");
                }

                lander.Land(body.Slice(start, length), output);
            }

            if (reader.TokenType != JsonTokenType.EndArray || reader.Read())
            {
                return SplitResult.Fail(RejectReason.InvalidJson, "the body is not a complete JSON array");
            }
        }
        catch (JsonException e)
        {
            return SplitResult.Fail(RejectReason.InvalidJson, $"the body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }

        return new SplitResult(events, null, null);
    }

    private static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> body) =>
        body.StartsWith(Bom) ? body[3..] : body;

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];
}
