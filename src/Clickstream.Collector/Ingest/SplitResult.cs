using Clickstream.Collector.Metrics;

namespace Clickstream.Collector.Ingest;

/// <summary>The outcome of splitting a request body into landed lines: an event count, or why it was refused.</summary>
internal readonly record struct SplitResult(int Events, RejectReason? Error, string? Message)
{
    public static SplitResult Fail(RejectReason reason, string message) => new(0, reason, message);
}
