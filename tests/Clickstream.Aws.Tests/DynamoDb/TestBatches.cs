using System.Globalization;
using Clickstream.Aws.DynamoDb;

namespace Clickstream.Aws.Tests.DynamoDb;

/// <summary>Batches shaped like the job's: absolute window counts, a sketch row, ledger rows one per event, a sharded metric.</summary>
internal static class TestBatches
{
    public const long Minute = 60_000_000;
    public static readonly long T0 = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
    // The commit clock is the real one: a TTL in the past would let DynamoDB Local expire rows during a test.
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    public static DynamoStoreOptions Options(string table = "fake") => new()
    {
        Table = table,
        WriteShards = new Dictionary<string, int>(StringComparer.Ordinal) { ["top_products"] = 4 },
        RetryDeadline = TimeSpan.FromSeconds(30),
    };

    /// <summary>Batch <paramref name="batchId"/>: windows <paramref name="batchId"/> and the one before it change.</summary>
    public static DynamoBatch Batch(long batchId, string queryId = "q1", int products = 60)
    {
        var rows = new List<DynamoRow>();
        for (var w = Math.Max(0, batchId - 1); w <= batchId; w++)
        {
            var start = T0 + (w * Minute);
            foreach (var type in new[] { "page_view", "product_view", "purchase" })
            {
                rows.Add(new DynamoRow("events", start, start + Minute, type, (100 * (batchId + 1)) + type.Length, null, false));
            }

            for (var p = 0; p < products; p++)
            {
                rows.Add(new DynamoRow("top_products", start, start + Minute, "p" + p.ToString("D4", CultureInfo.InvariantCulture), (batchId * 7) + p, null, false));
            }

            rows.Add(new DynamoRow("active_users", start, start + Minute, string.Empty, 40 + batchId, [1, 2, 3, (byte)batchId], false));
        }

        // Ledger rows arrive one per event, for old windows too.
        for (var i = 0; i < 5; i++)
        {
            rows.Add(new DynamoRow("late", T0 - (30 * Minute) + ((i % 2) * Minute), T0 - (29 * Minute) + ((i % 2) * Minute), string.Empty, 1, null, true));
            rows.Add(new DynamoRow("duplicates", T0 + (batchId * Minute), T0 + ((batchId + 1) * Minute), string.Empty, 1, null, true));
        }

        rows.Add(new DynamoRow("invalid", T0 + (batchId * Minute), T0 + ((batchId + 1) * Minute), string.Empty, 1, null, true));
        return new DynamoBatch(queryId, batchId, rows, Now.AddSeconds(batchId * 10)) { NewestWindowEndMicros = T0 + ((batchId + 1) * Minute) };
    }

    /// <summary>The table's rows as sorted lines, for comparing two tables.</summary>
    public static List<string> Lines(IEnumerable<DynamoRow> rows)
    {
        var lines = new List<string>();
        foreach (var r in rows)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{r.Metric} {r.WindowStartMicros} {r.WindowEndMicros} [{r.Key}] {r.Value} {(r.Sketch is null ? "-" : Convert.ToHexString(r.Sketch))}"));
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>What the table holds after <paramref name="batches"/> are applied once each on a fresh table.</summary>
    public static async Task<List<string>> ExpectedAsync(params DynamoBatch[] batches)
    {
        var table = new InMemoryAggregateTable();
        var store = new DynamoAggregateStore(table, Options(), TimeProvider.System);
        foreach (var batch in batches)
        {
            Assert.True(await store.ApplyBatchAsync(batch, CancellationToken.None));
        }

        return Lines(table.Rows);
    }
}
