namespace Clickstream.Aws.DynamoDb;

/// <summary>The windows of one metric that a batch wrote, as a closed range of window starts (µs).</summary>
internal readonly record struct MetricRange(string Metric, long MinStartMicros, long MaxStartMicros);
