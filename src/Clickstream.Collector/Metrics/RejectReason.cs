namespace Clickstream.Collector.Metrics;

/// <summary>Why a request was refused; the name is the <c>error</c> field of the body and the metric label.</summary>
internal enum RejectReason
{
    Unauthorized,
    RequestTooLarge,
    DecompressedTooLarge,
    EventTooLarge,
    TooManyEvents,
    InvalidJson,
    InvalidGzip,
    UnsupportedEncoding,
    Unavailable,
}
