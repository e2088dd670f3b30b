using System.Globalization;
using System.Text.Json;
using Clickstream.Delta.Table;

namespace Clickstream.Benchmarks.EndToEnd;

/// <summary>What a run with the lake sink wrote: rows, files and Parquet bytes per event of the events table.</summary>
internal static class LakeCheck
{
    public static void Print(string lake)
    {
        var table = DeltaTable.OpenLocal(Path.Combine(lake, "events"));
        var snapshot = table.GetSnapshotAsync().GetAwaiter().GetResult();
        long rows = 0;
        foreach (var file in snapshot.Files)
        {
            using var stats = JsonDocument.Parse(file.Stats ?? "{}");
            rows += stats.RootElement.TryGetProperty("numRecords", out var n) ? n.GetInt64() : 0;
        }

        var bytes = snapshot.TotalBytes;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  lake: events table version {snapshot.Version}, {snapshot.FileCount} files, {rows:N0} rows, {bytes / 1048576.0:F1} MiB of Parquet = {(rows == 0 ? 0 : (double)bytes / rows):F1} bytes/event"));
    }
}
