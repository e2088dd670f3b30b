using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Clickstream.Engine.Execution;

/// <summary>
/// The report of one micro-batch, shaped like Spark's <c>StreamingQueryProgress</c> (field names match its JSON).
/// </summary>
public sealed record QueryProgress
{
    public required string Id { get; init; }

    public required string RunId { get; init; }

    public required string Name { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public required long BatchId { get; init; }

    public required long BatchDuration { get; init; }

    public required long NumInputRows { get; init; }

    public required double InputRowsPerSecond { get; init; }

    public required double ProcessedRowsPerSecond { get; init; }

    /// <summary>Phase durations in ms: latestOffset, walCommit, getBatch, addBatch, stateCommit, commitOffsets, triggerExecution.</summary>
    public required IReadOnlyDictionary<string, long> DurationMs { get; init; }

    /// <summary>Event-time min/max/avg of the batch's input and the watermark the batch ran with; empty without a watermark.</summary>
    public required IReadOnlyDictionary<string, string> EventTime { get; init; }

    public required IReadOnlyList<OperatorProgress> StateOperators { get; init; }

    public required IReadOnlyList<SourceProgress> Sources { get; init; }

    public required string SinkDescription { get; init; }

    public required long SinkOutputRows { get; init; }

    /// <summary>The watermark the batch ran with (ms).</summary>
    public required long BatchWatermarkMs { get; init; }

    /// <summary>True for a batch run only to advance state.</summary>
    public required bool IsNoDataBatch { get; init; }

    /// <summary>Formats an epoch-ms value as Spark does (<c>yyyy-MM-dd'T'HH:mm:ss.SSS'Z'</c>).</summary>
    public static string FormatMs(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>One JSON object on one line.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("id", Id);
            w.WriteString("runId", RunId);
            w.WriteString("name", Name);
            w.WriteString("timestamp", Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteNumber("batchId", BatchId);
            w.WriteNumber("batchDuration", BatchDuration);
            w.WriteNumber("numInputRows", NumInputRows);
            w.WriteNumber("inputRowsPerSecond", Math.Round(InputRowsPerSecond, 1));
            w.WriteNumber("processedRowsPerSecond", Math.Round(ProcessedRowsPerSecond, 1));
            w.WriteStartObject("durationMs");
            foreach (var (k, v) in DurationMs)
            {
                w.WriteNumber(k, v);
            }

            w.WriteEndObject();
            if (EventTime.Count > 0)
            {
                w.WriteStartObject("eventTime");
                foreach (var (k, v) in EventTime)
                {
                    w.WriteString(k, v);
                }

                w.WriteEndObject();
            }

            w.WriteStartArray("stateOperators");
            foreach (var op in StateOperators)
            {
                w.WriteStartObject();
                w.WriteString("operatorName", op.OperatorName);
                w.WriteNumber("numRowsTotal", op.NumRowsTotal);
                w.WriteNumber("numRowsUpdated", op.NumRowsUpdated);
                w.WriteNumber("numRowsRemoved", op.NumRowsRemoved);
                w.WriteNumber("numRowsDroppedByWatermark", op.NumRowsDroppedByWatermark);
                w.WriteNumber("memoryUsedBytes", op.MemoryUsedBytes);
                w.WriteNumber("numShufflePartitions", op.NumShufflePartitions);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("sources");
            foreach (var s in Sources)
            {
                w.WriteStartObject();
                w.WriteString("description", s.Description);
                WriteOffset(w, "startOffset", s.StartOffset);
                WriteOffset(w, "endOffset", s.EndOffset);
                WriteOffset(w, "latestOffset", s.LatestOffset);
                w.WriteNumber("numInputRows", s.NumInputRows);
                if (s.Metrics is { Count: > 0 } metrics)
                {
                    w.WriteStartObject("metrics");
                    foreach (var (name, value) in metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
                    {
                        w.WriteString(name, value);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("sink");
            w.WriteString("description", SinkDescription);
            w.WriteNumber("numOutputRows", SinkOutputRows);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A one-line human summary for the console.</summary>
    public string ToSummary()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"batch {BatchId}{(IsNoDataBatch ? " (no data)" : string.Empty)}: {NumInputRows:N0} rows in {BatchDuration:N0} ms");
        if (NumInputRows > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" ({ProcessedRowsPerSecond:N0} rows/s)");
        }

        if (EventTime.TryGetValue("watermark", out var wm))
        {
            sb.Append(" watermark ").Append(wm);
        }

        long state = 0;
        long dropped = 0;
        foreach (var op in StateOperators)
        {
            state += op.NumRowsTotal;
            dropped += op.NumRowsDroppedByWatermark;
        }

        sb.Append(CultureInfo.InvariantCulture, $", state rows {state:N0}, late dropped {dropped:N0}, output rows {SinkOutputRows:N0}");
        return sb.ToString();
    }

    private static void WriteOffset(Utf8JsonWriter w, string name, string? offset)
    {
        if (offset is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WritePropertyName(name);
            w.WriteRawValue(offset);
        }
    }
}

/// <summary>A source's part of <see cref="QueryProgress"/>.</summary>
public sealed record SourceProgress(string Description, string? StartOffset, string? EndOffset, string? LatestOffset, long NumInputRows)
{
    /// <summary>Source-specific figures (<see cref="Sources.ISourceMetrics"/>), written as <c>metrics</c> when present.</summary>
    public IReadOnlyDictionary<string, string>? Metrics { get; init; }
}
