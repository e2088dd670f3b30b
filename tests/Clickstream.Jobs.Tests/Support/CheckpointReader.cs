using System.Globalization;
using System.Text.Json;

namespace Clickstream.Jobs.Tests.Support;

/// <summary>Reads what a test needs from a query's checkpoint folder: the planned batches, commits and the quarantine.</summary>
internal static class CheckpointReader
{
    /// <summary>Every batch in <c>offsets/</c>, by id, with the files its source offset range covers.</summary>
    public static IReadOnlyList<CheckpointBatch> Batches(string checkpoint)
    {
        var batches = new List<CheckpointBatch>();
        long previousLogOffset = -1;
        foreach (var id in Ids(Path.Combine(checkpoint, "offsets")))
        {
            var lines = File.ReadAllText(Path.Combine(checkpoint, "offsets", Name(id))).Split('\n');
            Assert.Equal("v1", lines[0]);
            using var meta = JsonDocument.Parse(lines[1]);
            var logOffset = -1L;
            if (lines.Length > 2 && lines[2] is { Length: > 0 } offset && offset != "-")
            {
                using var o = JsonDocument.Parse(offset);
                logOffset = o.RootElement.GetProperty("logOffset").GetInt64();
            }

            var files = new List<string>();
            for (var entry = previousLogOffset + 1; entry <= logOffset; entry++)
            {
                files.AddRange(SourceLogEntry(checkpoint, entry));
            }

            previousLogOffset = logOffset;
            batches.Add(new CheckpointBatch(
                id,
                meta.RootElement.GetProperty("batchWatermarkMs").GetInt64(),
                meta.RootElement.GetProperty("batchTimestampMs").GetInt64(),
                files));
        }

        return batches;
    }

    /// <summary>The query id kept in <c>metadata</c>.</summary>
    public static string QueryId(string checkpoint) =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpoint, "metadata"))).RootElement.GetProperty("id").GetString()!;

    /// <summary>How many batches are committed (entries in <c>commits/</c>).</summary>
    public static int CommitCount(string checkpoint)
    {
        var dir = Path.Combine(checkpoint, "commits");
        return Directory.Exists(dir) ? Ids(dir).Count : 0;
    }

    /// <summary>How many batches are planned (entries in <c>offsets/</c>).</summary>
    public static int OffsetCount(string checkpoint)
    {
        var dir = Path.Combine(checkpoint, "offsets");
        return Directory.Exists(dir) ? Ids(dir).Count : 0;
    }

    /// <summary>The input rows of every batch reported in <c>progress.ndjson</c>, summed.</summary>
    public static long ReportedInputRows(string checkpoint) =>
        File.ReadLines(Path.Combine(checkpoint, "progress.ndjson"))
            .Where(l => l.Length > 0)
            .Sum(l =>
            {
                using var doc = JsonDocument.Parse(l);
                return doc.RootElement.GetProperty("numInputRows").GetInt64();
            });

    /// <summary>Every record of every <c>quarantine/batch-*.ndjson</c> file, in batch order.</summary>
    public static IReadOnlyList<QuarantineRecord> Quarantine(string checkpoint)
    {
        var dir = Path.Combine(checkpoint, "quarantine");
        if (!Directory.Exists(dir))
        {
            return [];
        }

        var records = new List<QuarantineRecord>();
        foreach (var path in Directory.GetFiles(dir, "batch-*.ndjson").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(path))
            {
                using var doc = JsonDocument.Parse(line);
                var r = doc.RootElement;
                var timestamp = r.GetProperty("timestamp");
                records.Add(new QuarantineRecord(
                    r.GetProperty("raw").GetString()!,
                    r.GetProperty("reason").GetString()!,
                    r.GetProperty("detail").GetString()!,
                    timestamp.ValueKind == JsonValueKind.Null ? null : timestamp.GetString(),
                    r.GetProperty("file").GetString()!,
                    r.GetProperty("offset").GetInt64(),
                    r.GetProperty("batch_id").GetInt64()));
            }
        }

        return records;
    }

    private static IEnumerable<string> SourceLogEntry(string checkpoint, long entry)
    {
        var lines = File.ReadAllLines(Path.Combine(checkpoint, "sources", "0", Name(entry)));
        Assert.Equal("v1", lines[0]);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            using var doc = JsonDocument.Parse(line);
            yield return Path.GetFullPath(doc.RootElement.GetProperty("path").GetString()!);
        }
    }

    private static List<long> Ids(string dir) =>
        [.. Directory.GetFiles(dir)
            .Select(Path.GetFileName)
            .Select(n => long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1)
            .Where(id => id >= 0)
            .Order()];

    private static string Name(long id) => id.ToString(CultureInfo.InvariantCulture);
}
