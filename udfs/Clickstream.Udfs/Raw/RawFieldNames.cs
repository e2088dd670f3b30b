namespace Clickstream.Udfs.Raw;

/// <summary>The JSON names of <see cref="RawField"/>s, matched on unescaped UTF-8 bytes.</summary>
internal static class RawFieldNames
{
    /// <summary>One more than the largest <see cref="RawField"/>: the length of arrays indexed by field.</summary>
    public const int Count = (int)RawField.Properties + 1;

    public static RawField Match(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when name.SequenceEqual("page"u8) => RawField.Page,
        5 when name.SequenceEqual("price"u8) => RawField.Price,
        6 when name.SequenceEqual("device"u8) => RawField.Device,
        7 when name.SequenceEqual("user_id"u8) => RawField.UserId,
        8 => Match8(name),
        9 when name.SequenceEqual("timestamp"u8) => RawField.Timestamp,
        9 when name.SequenceEqual("client_ip"u8) => RawField.ClientIp,
        10 => Match10(name),
        11 when name.SequenceEqual("received_at"u8) => RawField.ReceivedAt,
        14 when name.SequenceEqual("schema_version"u8) => RawField.SchemaVersion,
        _ => RawField.Unknown,
    };

    private static RawField Match8(ReadOnlySpan<byte> name) => name[0] switch
    {
        (byte)'e' when name.SequenceEqual("event_id"u8) => RawField.EventId,
        (byte)'c' when name.SequenceEqual("category"u8) => RawField.Category,
        (byte)'q' when name.SequenceEqual("quantity"u8) => RawField.Quantity,
        (byte)'o' when name.SequenceEqual("order_id"u8) => RawField.OrderId,
        (byte)'r' when name.SequenceEqual("referrer"u8) => RawField.Referrer,
        _ => RawField.Unknown,
    };

    private static RawField Match10(ReadOnlySpan<byte> name) => name[0] switch
    {
        (byte)'e' when name.SequenceEqual("event_type"u8) => RawField.EventType,
        (byte)'s' when name.SequenceEqual("session_id"u8) => RawField.SessionId,
        (byte)'p' when name.SequenceEqual("product_id"u8) => RawField.ProductId,
        (byte)'p' when name.SequenceEqual("properties"u8) => RawField.Properties,
        (byte)'u' when name.SequenceEqual("user_agent"u8) => RawField.UserAgent,
        _ => RawField.Unknown,
    };
}
