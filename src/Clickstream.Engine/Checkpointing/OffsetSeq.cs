namespace Clickstream.Engine.Checkpointing;

/// <summary>
/// The content of <c>offsets/N</c>: what batch N reads and the metadata it runs with. Written before the batch
/// executes (write-ahead), so a re-run of N after a crash reads exactly the same data with the same
/// timestamp and watermark.
/// </summary>
/// <param name="BatchWatermarkMs">The watermark batch N runs with.</param>
/// <param name="BatchTimestampMs">The processing time of batch N.</param>
/// <param name="Conf">Settings fixed by the first run (partitions, watermark policy, …).</param>
/// <param name="SourceOffsets">One end offset (JSON) per source, in source order; null = no offset yet.</param>
public sealed record OffsetSeq(long BatchWatermarkMs, long BatchTimestampMs, IReadOnlyDictionary<string, string> Conf, IReadOnlyList<string?> SourceOffsets);
