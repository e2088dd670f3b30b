using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Clickstream.Jobs.Dashboard;

/// <summary>
/// The figures of the newest progress report in a checkpoint's <c>progress.ndjson</c> (docs/formats/checkpoint.md):
/// the watermark, the newest event time the job saw, and its processing rate. Only the file's tail is read.
/// </summary>
internal sealed record CheckpointProgress(DateTimeOffset? Watermark, DateTimeOffset? MaxEventTime, double? ProcessedRowsPerSecond)
{
    private const int TailBytes = 64 * 1024;

    // Remote checkpoints opened by a dashboard process, one store per location for the process's life.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Engine.Checkpointing.ICheckpointStore> Remote = new(StringComparer.Ordinal);
    private static readonly Lazy<Locations.AwsContext> Aws = new(() => new Locations.AwsContext());

    /// <summary>
    /// The newest report of the checkpoint at <paramref name="checkpoint"/> (a folder or an <c>s3://</c> prefix), or
    /// null when there is none yet.
    /// </summary>
    public static CheckpointProgress? ReadLatest(string checkpoint)
    {
        if (checkpoint.StartsWith("s3://", StringComparison.Ordinal))
        {
            var store = Remote.GetOrAdd(checkpoint, c => Locations.Location.Parse("--checkpoint", c).CheckpointStore(Aws.Value));
            return store.Read("progress.ndjson") is { } bytes ? FromTail(Encoding.UTF8.GetString(bytes)) : null;
        }

        var path = Path.Combine(checkpoint, "progress.ndjson");
        string tail;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = (int)Math.Min(file.Length, TailBytes);
            file.Seek(-length, SeekOrigin.End);
            var buffer = new byte[length];
            file.ReadExactly(buffer);
            tail = Encoding.UTF8.GetString(buffer);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return FromTail(tail);
    }

    private static CheckpointProgress? FromTail(string tail)
    {
        // The writer appends whole lines, newest last. A batch without input (e.g. the one that only advances the
        // watermark) reports the watermark but no event times and a zero rate, so the watermark comes from the newest
        // report and the newest event time and rate from the newest report that had input.
        var lines = tail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        DateTimeOffset? watermark = null;
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            if (TryParse(lines[i]) is not { } report)
            {
                continue;
            }

            watermark ??= report.Watermark;
            if (report.MaxEventTime is not null)
            {
                return new CheckpointProgress(watermark ?? report.Watermark, report.MaxEventTime, report.ProcessedRowsPerSecond);
            }
        }

        return watermark is null ? null : new CheckpointProgress(watermark, null, null);
    }

    private static CheckpointProgress? TryParse(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            DateTimeOffset? watermark = null, max = null;
            if (root.TryGetProperty("eventTime", out var eventTime))
            {
                watermark = Time(eventTime, "watermark");
                max = Time(eventTime, "max");
            }

            double? rate = root.TryGetProperty("processedRowsPerSecond", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble() : null;
            return new CheckpointProgress(watermark, max, rate);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DateTimeOffset? Time(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;
}
