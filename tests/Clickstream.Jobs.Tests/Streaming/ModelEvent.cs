namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>A valid event as the reference model sees it: the ids as plain strings, the time in UTC microseconds.</summary>
internal sealed record ModelEvent(
    string EventId,
    string EventType,
    long TimestampMicros,
    string UserId,
    string SessionId,
    string? Category,
    string? ProductId);
