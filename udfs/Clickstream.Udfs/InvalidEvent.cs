namespace Clickstream.Udfs;

/// <summary>Why a line was rejected, as stored with the raw text in the quarantine table.</summary>
/// <param name="Reason">The class of problem.</param>
/// <param name="Detail">A short English sentence naming the field or position at fault.</param>
/// <param name="TimestampMicros">
/// The event time (UTC microseconds) when a valid <c>timestamp</c> field was read from the line before or despite
/// the problem, so that invalid events can still be counted in their event-time window; otherwise null.
/// </param>
public readonly record struct InvalidEvent(InvalidReason Reason, string Detail, long? TimestampMicros);
