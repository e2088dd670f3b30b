using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// The table layout (docs/formats/aggregate-store.md): attribute names, the partition key
/// <c>{metric}#{window_start}</c> (with <c>#{shard}</c> appended for write shards 1..n-1), the sort key (the dimension),
/// and the item-size arithmetic DynamoDB bills by. The one place that knows how a row maps to an item.
/// </summary>
internal static class DynamoKeys
{
    /// <summary>The format version, kept in every metadata item.</summary>
    public const int FormatVersion = 1;

    public const string PartitionKey = "pk";
    public const string SortKey = "sk";
    public const string WindowStart = "ws";
    public const string WindowEnd = "we";
    public const string Value = "v";
    public const string Sketch = "h";
    public const string FullKey = "k";
    public const string Ttl = "ttl";

    /// <summary>The attribute holding the last batch of one query that changed the item: <c>b:{queryId}</c>.</summary>
    public const string BatchPrefix = "b:";

    /// <summary>The partition of the per-query metadata items; no metric partition starts with '_'.</summary>
    public const string MetaPartition = "_meta";

    // Meta item attributes.
    public const string MetaVersion = "fv";
    public const string LastBatch = "lb";
    public const string CommittedAt = "ca";
    public const string NewestEnd = "ne";
    public const string OldestStart = "os";
    public const string MaxEnd = "mx";
    public const string Watermark = "wm";
    public const string Recent = "rc";
    public const string Shards = "sh";
    public const string Additive = "am";
    public const string Absolute = "ab";

    /// <summary>Sort keys are limited to 1,024 bytes; longer dimensions are stored by hash with the key in <see cref="FullKey"/>.</summary>
    public const int MaxSortKeyBytes = 1024;

    private const char KeyMarker = '=';
    private const char HashMarker = '~';

    public static string Partition(string metric, long windowStartMicros, int shard) =>
        shard == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{metric}#{windowStartMicros}")
            : string.Create(CultureInfo.InvariantCulture, $"{metric}#{windowStartMicros}#{shard}");

    /// <summary>The metric of a partition key.</summary>
    public static string MetricOf(string partitionKey)
    {
        var hash = partitionKey.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? partitionKey : partitionKey[..hash];
    }

    /// <summary>
    /// The sort key of a dimension: <c>=</c> + the key (keys never empty: the no-dimension rows get <c>=</c>), or,
    /// for keys too long for a sort key, <c>~</c> + the SHA-256 of the key.
    /// </summary>
    public static string Sort(string key, out bool hashed)
    {
        hashed = Encoding.UTF8.GetByteCount(key) + 1 > MaxSortKeyBytes;
        return hashed ? HashMarker + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))) : KeyMarker + key;
    }

    /// <summary>The dimension of a sort key, or null when it is hashed (the key is in <see cref="FullKey"/>).</summary>
    public static string? KeyOf(string sortKey) => sortKey.Length > 0 && sortKey[0] == KeyMarker ? sortKey[1..] : null;

    /// <summary>The write shard of a key: a stable FNV-1a hash of its characters, modulo <paramref name="shards"/>.</summary>
    public static int Shard(string key, int shards)
    {
        if (shards <= 1)
        {
            return 0;
        }

        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)shards);
    }

    public static string BatchAttribute(string queryId) => BatchPrefix + queryId;

    /// <summary>
    /// The size DynamoDB bills for the item of <paramref name="write"/>: attribute names plus values (strings and
    /// binaries by UTF-8 length, numbers about one byte per two significant digits plus one).
    /// </summary>
    public static int ItemBytes(in AggregateWrite write)
    {
        var row = write.Row;
        var size = 2 + Encoding.UTF8.GetByteCount(write.Partition)
            + 2 + Encoding.UTF8.GetByteCount(write.Sort)
            + 2 + NumberBytes(row.WindowStartMicros)
            + 2 + NumberBytes(row.WindowEndMicros)
            + 1 + NumberBytes(row.Value)
            + 3 + NumberBytes(write.TtlSeconds)
            + BatchPrefix.Length + Encoding.UTF8.GetByteCount(write.QueryId) + NumberBytes(write.BatchId);
        if (row.Sketch is { } sketch)
        {
            size += 1 + sketch.Length;
        }

        if (write.Hashed)
        {
            size += 1 + Encoding.UTF8.GetByteCount(row.Key);
        }

        return size;
    }

    /// <summary>About the size of a metadata item (its recent-batch list dominates).</summary>
    public static int MetaBytes(DynamoQueryMeta meta, long windowMicros)
    {
        var size = 2 + MetaPartition.Length + 2 + Encoding.UTF8.GetByteCount(meta.QueryId) + 64 + (5 * 10);
        foreach (var touch in meta.Recent)
        {
            size += 3 + touch.Encode(windowMicros).Length;
        }

        foreach (var (metric, _) in meta.Shards)
        {
            size += 4 + metric.Length;
        }

        foreach (var metric in meta.AdditiveMetrics)
        {
            size += 1 + metric.Length;
        }

        foreach (var metric in meta.AbsoluteMetrics)
        {
            size += 1 + metric.Length;
        }

        return size;
    }

    /// <summary>
    /// Read units of a strongly consistent Query that returned <paramref name="rows"/> of one partition: one per started
    /// 4 KB of the items' sizes (estimated: keys, numbers, sketch, one remembered batch), at least one.
    /// </summary>
    public static long ReadUnits(string partition, IReadOnlyList<DynamoRow> rows)
    {
        long bytes = 0;
        var partitionBytes = 2 + Encoding.UTF8.GetByteCount(partition);
        foreach (var row in rows)
        {
            bytes += partitionBytes + 3 + Encoding.UTF8.GetByteCount(row.Key) + 4 + (2 * NumberBytes(row.WindowStartMicros)) + 1 + NumberBytes(row.Value) + 3 + 6 + 38 + 6
                + (row.Sketch is { } sketch ? 1 + sketch.Length : 0);
        }

        return Math.Max(1, (bytes + 4095) / 4096);
    }

    /// <summary>Write units of an item of <paramref name="bytes"/>: one per started kilobyte.</summary>
    public static int WriteUnits(int bytes) => Math.Max(1, (bytes + 1023) / 1024);

    public static int NumberBytes(long value)
    {
        if (value == 0)
        {
            return 2;
        }

        var v = value == long.MinValue ? long.MaxValue : Math.Abs(value);
        while (v % 10 == 0)
        {
            v /= 10;
        }

        var digits = 0;
        for (; v > 0; v /= 10)
        {
            digits++;
        }

        return ((digits + 1) / 2) + 1;
    }
}
