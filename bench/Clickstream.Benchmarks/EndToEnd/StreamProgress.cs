using System.Text.Json;

namespace Clickstream.Benchmarks.EndToEnd;

/// <summary>
/// What the job's <c>&lt;checkpoint&gt;/progress.ndjson</c> says about a run: the batch count, the largest batch's
/// phase durations, and the deduplication state's size per key from the last line (after the final eviction).
/// </summary>
internal sealed record StreamProgress(
    int Batches,
    long InputRows,
    long DedupKeys,
    long DedupBytes,
    long LargestBatchRows,
    IReadOnlyList<(string Phase, long Ms)> LargestBatchDurations)
{
    public double? DedupBytesPerKey => DedupKeys > 0 ? (double)DedupBytes / DedupKeys : null;

    public static StreamProgress Read(string checkpoint)
    {
        var path = Path.Combine(checkpoint, "progress.ndjson");
        var batches = 0;
        long inputRows = 0;
        long dedupKeys = 0;
        long dedupBytes = 0;
        long largestRows = -1;
        var durations = new List<(string, long)>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            batches++;
            var rows = root.GetProperty("numInputRows").GetInt64();
            inputRows += rows;
            if (rows > largestRows)
            {
                largestRows = rows;
                durations.Clear();
                foreach (var p in root.GetProperty("durationMs").EnumerateObject())
                {
                    durations.Add((p.Name, p.Value.GetInt64()));
                }
            }

            // Only the last line counts: it is the state as the run left it.
            dedupKeys = 0;
            dedupBytes = 0;
            foreach (var op in root.GetProperty("stateOperators").EnumerateArray())
            {
                if (op.GetProperty("operatorName").GetString() is { } name && name.StartsWith("dedupe", StringComparison.Ordinal))
                {
                    dedupKeys += op.GetProperty("numRowsTotal").GetInt64();
                    dedupBytes += op.GetProperty("memoryUsedBytes").GetInt64();
                }
            }
        }

        if (batches == 0)
        {
            throw new InvalidDataException($"{path} has no progress lines");
        }

        return new StreamProgress(batches, inputRows, dedupKeys, dedupBytes, largestRows, durations);
    }
}
