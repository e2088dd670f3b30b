namespace Clickstream.Udfs;

/// <summary>
/// One valid event, reduced to what the streaming aggregations need. Identifiers are kept as hashes so that
/// state keyed by them has a fixed size; the raw line is still what goes to the raw table.
/// </summary>
/// <param name="EventKey">XxHash128 of the unescaped UTF-8 bytes of <c>event_id</c>: the deduplication key.</param>
/// <param name="EventType">The <c>event_type</c> string. Known types are shared static strings; others are interned.</param>
/// <param name="TypeCode">The known type, or <see cref="EventTypeCode.Other"/>.</param>
/// <param name="TimestampMicros">Event time, UTC microseconds since the Unix epoch.</param>
/// <param name="UserHash">XxHash3 (64-bit) of the UTF-8 bytes of <c>user_id</c>, for distinct-user sketches.</param>
/// <param name="SessionKey">XxHash128 of the UTF-8 bytes of <c>session_id</c>, the funnel state key.</param>
/// <param name="Category">The <c>category</c> string; null when absent, JSON null, not a string or empty. Interned.</param>
/// <param name="ProductId">The <c>product_id</c> string; null when absent, JSON null, not a string or empty. Interned.</param>
public readonly record struct ClickEvent(
    UInt128 EventKey,
    string EventType,
    EventTypeCode TypeCode,
    long TimestampMicros,
    ulong UserHash,
    UInt128 SessionKey,
    string? Category,
    string? ProductId)
{
    /// <summary>
    /// The event's original line (UTF-8 JSON), when the caller keeps it for the raw table; empty otherwise.
    /// It points into a buffer owned by the caller and lives as long as that buffer.
    /// </summary>
    public ReadOnlyMemory<byte> RawLine { get; init; }
}
