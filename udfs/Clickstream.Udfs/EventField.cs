namespace Clickstream.Udfs;

/// <summary>The top-level fields the parser reads; every other field is skipped without being decoded.</summary>
internal enum EventField : byte
{
    Unknown = 0,

    // Required, in the order problems are reported.
    EventId,
    EventType,
    Timestamp,
    UserId,
    SessionId,

    // Optional: a value that is not a usable string counts as absent.
    Category,
    ProductId,
}
