namespace Clickstream.Jobs.Store;

/// <summary>One stored aggregate row as exported; <see cref="Key"/> is null for metrics without a dimension.</summary>
internal readonly record struct AggregateRecord(string Metric, long Start, long End, string? Key, long Value);
