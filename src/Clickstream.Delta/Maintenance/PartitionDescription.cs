namespace Clickstream.Delta.Maintenance;

/// <summary>A partition of a <see cref="TableDescription"/>.</summary>
/// <param name="Values">The partition values by column (null for SQL NULL); empty for an unpartitioned table.</param>
/// <param name="Directory">The Hive-style directory (<c>event_date=2025-03-01</c>); empty for an unpartitioned table.</param>
/// <param name="Files">The number of live files.</param>
/// <param name="Bytes">Their total size.</param>
/// <param name="Records">Their total row count, when every file's stats give it.</param>
public sealed record PartitionDescription(IReadOnlyDictionary<string, string?> Values, string Directory, int Files, long Bytes, long? Records);
