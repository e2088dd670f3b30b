using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Clickstream.Jobs.Generate;

/// <summary>
/// Writes a session's next step as one JSON event: the fields every event has (ids, time, device), then the
/// step's own fields from <see cref="StepWriter"/>. Breaking an event on purpose happens here, in one place.
/// </summary>
internal sealed class EventWriter(ShopCatalog catalog, Xoshiro256StarStar random)
{
    private const int RequiredFieldCount = 5;

    private readonly StepWriter _steps = new(catalog, random);

    /// <summary>Writes the next planned step of <paramref name="session"/> at <paramref name="timeMicros"/> and advances it.</summary>
    public void WriteNext(Utf8JsonWriter json, Session session, long timeMicros, InvalidKind invalid = InvalidKind.None)
    {
        var step = session.Plan[session.NextStep++];
        var unknownType = step == StepKind.Unknown ? random.Pick(ShopCatalog.UnknownEventTypes) : null;
        var missing = invalid == InvalidKind.MissingField ? random.Next(RequiredFieldCount) : -1;

        if (invalid == InvalidKind.JsonArray)
        {
            json.WriteStartArray();
        }

        json.WriteStartObject();
        if (missing != 0)
        {
            WriteUuid(json, "event_id"u8, random.NextUInt64(), random.NextUInt64());
        }

        if (missing != 1)
        {
            WriteEventType(json, step, unknownType);
        }

        if (missing != 2)
        {
            WriteTimestamp(json, timeMicros, invalid == InvalidKind.BadTimestamp);
        }

        if (missing != 3)
        {
            WriteUserId(json, session.User, invalid == InvalidKind.EmptyUserId);
        }

        if (missing != 4)
        {
            WriteUuid(json, "session_id"u8, session.IdHigh, session.IdLow);
        }

        json.WriteString("device"u8, TrafficSources.Devices[session.Device]);
        json.WriteString("user_agent"u8, session.UserAgent);
        json.WriteNumber("schema_version"u8, session.SchemaVersion);
        if (session.Experiment is { } experiment)
        {
            json.WriteString("experiment_id"u8, experiment);
        }

        _steps.Write(json, session, step, unknownType);
        json.WriteEndObject();
        if (invalid == InvalidKind.JsonArray)
        {
            json.WriteEndArray();
        }

        session.LastTimeMicros = timeMicros;
    }

    private static void WriteEventType(Utf8JsonWriter json, StepKind step, string? unknownType)
    {
        var name = "event_type"u8;
        switch (step)
        {
            case StepKind.PageView: json.WriteString(name, "page_view"u8); break;
            case StepKind.Search: json.WriteString(name, "search"u8); break;
            case StepKind.ProductView: json.WriteString(name, "product_view"u8); break;
            case StepKind.AddToCart: json.WriteString(name, "add_to_cart"u8); break;
            case StepKind.RemoveFromCart: json.WriteString(name, "remove_from_cart"u8); break;
            case StepKind.CheckoutStart: json.WriteString(name, "checkout_start"u8); break;
            case StepKind.Purchase: json.WriteString(name, "purchase"u8); break;
            default: json.WriteString(name, unknownType); break;
        }
    }

    private void WriteTimestamp(Utf8JsonWriter json, long micros, bool broken)
    {
        if (broken && random.Chance(0.5))
        {
            json.WriteString("timestamp"u8, "yesterday"u8);
            return;
        }

        // yyyy-MM-ddTHH:mm:ss.fffZ, written by hand: a custom DateTime format string costs more than the rest of the event.
        Span<byte> text = stackalloc byte[24];
        var time = new DateTime(DateTime.UnixEpoch.Ticks + (micros * TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);
        var (year, month, day) = time;
        var millisecond = (int)(time.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMillisecond);
        Digits(text, 0, 4, year);
        Digits(text, 5, 2, month);
        Digits(text, 8, 2, day);
        Digits(text, 11, 2, time.Hour);
        Digits(text, 14, 2, time.Minute);
        Digits(text, 17, 2, time.Second);
        Digits(text, 20, 3, millisecond);
        (text[4], text[7], text[10], text[13], text[16], text[19], text[23]) =
            ((byte)'-', (byte)'-', (byte)'T', (byte)':', (byte)':', (byte)'.', (byte)'Z');
        json.WriteString("timestamp"u8, broken ? text[..23] : text);
    }

    private static void Digits(Span<byte> text, int start, int count, int value)
    {
        for (var i = start + count - 1; i >= start; i--)
        {
            text[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private static void WriteUserId(Utf8JsonWriter json, int user, bool empty)
    {
        Span<byte> text = stackalloc byte[16];
        var length = 0;
        if (!empty)
        {
            "u-"u8.CopyTo(text);
            (user + 1).TryFormat(text[2..], out var digits, "D7", CultureInfo.InvariantCulture);
            length = 2 + digits;
        }

        json.WriteString("user_id"u8, text[..length]);
    }

    /// <summary>Writes 128 random bits as a version 4 UUID in its usual lowercase text form.</summary>
    private static void WriteUuid(Utf8JsonWriter json, ReadOnlySpan<byte> name, ulong high, ulong low)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, high);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], low);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);

        Span<byte> text = stackalloc byte[36];
        var hex = "0123456789abcdef"u8;
        var at = 0;
        for (var i = 0; i < 16; i++)
        {
            if (i is 4 or 6 or 8 or 10)
            {
                text[at++] = (byte)'-';
            }

            text[at++] = hex[bytes[i] >> 4];
            text[at++] = hex[bytes[i] & 0xF];
        }

        json.WriteString(name, text);
    }
}
