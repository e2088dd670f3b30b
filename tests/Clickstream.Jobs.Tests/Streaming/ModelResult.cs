using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>What the reference model expects after a run.</summary>
internal sealed class ModelResult
{
    /// <summary>The expected export, ordered by metric, window start and key.</summary>
    public required IReadOnlyList<ExportRow> Rows { get; init; }

    /// <summary>The watermark each batch runs with (ms), by position in the batch list.</summary>
    public required IReadOnlyList<long> BatchWatermarksMs { get; init; }

    /// <summary>Every invalid line, in batch and arrival order.</summary>
    public required IReadOnlyList<ModelInvalid> Invalid { get; init; }

    /// <summary>The exact set of users counted in each window (by window start), for distinct counts over ranges.</summary>
    public required IReadOnlyDictionary<long, HashSet<string>> UsersByWindow { get; init; }

    /// <summary>The event ids the raw table must hold: every valid event's first occurrence, late ones included, in order.</summary>
    public IReadOnlyList<string> KeptEventIds { get; init; } = [];

    /// <summary>The rows of one metric.</summary>
    public IEnumerable<ExportRow> Of(string metric) => Rows.Where(r => r.Metric == metric);

    /// <summary>The value of one row, or 0 when the model expects no such row.</summary>
    public long Value(string metric, long windowStartMicros, string? key = null) =>
        Rows.FirstOrDefault(r => r.Metric == metric && r.WindowStartMicros == windowStartMicros && r.Key == key)?.Value ?? 0;
}
