namespace Clickstream.Jobs.Streaming;

/// <summary>One contribution to a counted metric: +1 to (metric, key) in the window of <paramref name="TimeMicros"/>.</summary>
internal readonly record struct MetricRow(string Metric, string? Key, long TimeMicros);
