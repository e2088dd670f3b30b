using Clickstream.Delta.Table;
using Clickstream.Delta.Types;

namespace Clickstream.Delta.Maintenance;

/// <summary>Rules about a table's objects and partitions shared by the maintenance operations.</summary>
internal static class TableFiles
{
    /// <summary>
    /// Whether a key is outside the table's data: some segment starts with <c>_</c> (the log, the manifests,
    /// change data) or <c>.</c> (hidden and temporary files), unless that segment is a partition directory of a
    /// column whose own name starts that way (<c>_col=value</c>), as Spark's VACUUM decides.
    /// </summary>
    public static bool IsHidden(string key, IReadOnlyList<string> partitionColumns)
    {
        var start = 0;
        while (start < key.Length)
        {
            var end = key.IndexOf('/', start);
            if (end < 0)
            {
                end = key.Length;
            }

            var segment = key.AsSpan(start, end - start);
            if (segment.Length > 0 && segment[0] is '_' or '.' && !IsPartitionDirectory(segment, partitionColumns))
            {
                return true;
            }

            start = end + 1;
        }

        return false;
    }

    /// <summary>
    /// The table's date partition column: the only partition column of type <c>date</c>. Fails with a clear error
    /// when there is none or more than one.
    /// </summary>
    public static string DatePartitionColumn(Snapshot snapshot, string table, string operation)
    {
        string? found = null;
        foreach (var column in snapshot.PartitionColumns)
        {
            if (snapshot.Schema.Find(column)?.Type is PrimitiveType { Name: "date" })
            {
                if (found is not null)
                {
                    throw new DeltaFormatException($"{table}: {operation} needs a single date partition column, the table has several ({found}, {column})");
                }

                found = column;
            }
        }

        return found ?? throw new DeltaFormatException(
            $"{table}: {operation} works on tables partitioned by a date column; this table is partitioned by [{string.Join(", ", snapshot.PartitionColumns)}]");
    }

    /// <summary>The date of a file's date partition value, or null when the value is null or not a date.</summary>
    public static DateOnly? PartitionDate(IReadOnlyDictionary<string, string?> partitionValues, string column) =>
        partitionValues.TryGetValue(column, out var value) && !string.IsNullOrEmpty(value)
            && DateOnly.TryParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)
            ? date
            : null;

    /// <summary>The UTC calendar date of <paramref name="now"/>.</summary>
    public static DateOnly UtcToday(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);

    private static bool IsPartitionDirectory(ReadOnlySpan<char> segment, IReadOnlyList<string> partitionColumns)
    {
        foreach (var column in partitionColumns)
        {
            var escaped = DeltaPaths.EscapePathName(column);
            if (segment.Length > escaped.Length && segment[escaped.Length] == '=' && segment.StartsWith(escaped, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
