namespace Clickstream.Udfs;

/// <summary>The JSON names of <see cref="EventField"/>s, matched on unescaped UTF-8 bytes.</summary>
internal static class EventFieldNames
{
    public static EventField Match(ReadOnlySpan<byte> name) => name.Length switch
    {
        7 when name.SequenceEqual("user_id"u8) => EventField.UserId,
        8 when name.SequenceEqual("event_id"u8) => EventField.EventId,
        8 when name.SequenceEqual("category"u8) => EventField.Category,
        9 when name.SequenceEqual("timestamp"u8) => EventField.Timestamp,
        10 when name.SequenceEqual("event_type"u8) => EventField.EventType,
        10 when name.SequenceEqual("session_id"u8) => EventField.SessionId,
        10 when name.SequenceEqual("product_id"u8) => EventField.ProductId,
        _ => EventField.Unknown,
    };

    public static string Name(EventField field) => field switch
    {
        EventField.EventId => "event_id",
        EventField.EventType => "event_type",
        EventField.Timestamp => "timestamp",
        EventField.UserId => "user_id",
        EventField.SessionId => "session_id",
        EventField.Category => "category",
        EventField.ProductId => "product_id",
        _ => "unknown",
    };
}
