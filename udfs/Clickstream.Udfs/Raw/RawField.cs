namespace Clickstream.Udfs.Raw;

/// <summary>
/// The top-level event fields that have a column, in column order (<c>timestamp</c> is the <c>event_time</c>
/// column). Everything else is <see cref="Unknown"/> and goes to <c>properties</c>.
/// </summary>
internal enum RawField : byte
{
    Unknown = 0,
    EventId,
    EventType,
    Timestamp,
    UserId,
    SessionId,
    Page,
    Category,
    Device,
    ProductId,
    Price,
    Quantity,
    OrderId,
    Referrer,
    UserAgent,
    SchemaVersion,
    ClientIp,
    ReceivedAt,
    Properties,
}
