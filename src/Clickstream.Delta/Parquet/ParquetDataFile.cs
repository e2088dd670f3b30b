namespace Clickstream.Delta.Parquet;

/// <summary>A data file written by <see cref="DataFileWriter"/>, ready to upload and to describe in an <c>add</c> action.</summary>
/// <param name="Content">The Parquet file.</param>
/// <param name="RecordCount">The number of rows in the file.</param>
/// <param name="Stats">The Delta per-file statistics JSON for <c>add.stats</c>.</param>
public sealed record ParquetDataFile(byte[] Content, long RecordCount, string Stats);

/// <summary>What <see cref="DataFileWriter.WriteToAsync"/> wrote, for the <c>add</c> action.</summary>
/// <param name="RecordCount">The number of rows in the file.</param>
/// <param name="Stats">The Delta per-file statistics JSON for <c>add.stats</c>.</param>
public sealed record DataFileSummary(long RecordCount, string Stats);
