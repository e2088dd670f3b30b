namespace Clickstream.Jobs.Streaming;

/// <summary>
/// A row for the aggregate store. Absolute rows (the update-mode output of an aggregation) replace the stored
/// value; additive rows (the per-batch ledger of late, duplicate and invalid events) are summed into it. Both are
/// applied in the batch's transaction, which the store skips if it already holds that batch id.
/// </summary>
internal readonly record struct StoreRow(string Metric, long WindowStartMicros, long WindowEndMicros, string? Key, long Value, byte[]? Sketch, bool Additive);
