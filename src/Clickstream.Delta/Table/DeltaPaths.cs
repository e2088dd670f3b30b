using System.Globalization;
using System.Text;

namespace Clickstream.Delta.Table;

/// <summary>
/// How data-file paths are built and written into the log: partition directories are Hive-escaped
/// (<c>col=value</c>, null as <c>__HIVE_DEFAULT_PARTITION__</c>), and the relative path is then written as an
/// RFC 2396 URI path (space → <c>%20</c>, <c>%</c> → <c>%25</c>, …), as Spark does. Readers decode the URI to
/// find the object.
/// </summary>
public static class DeltaPaths
{
    /// <summary>The directory name Hive and Spark use for a null partition value.</summary>
    public const string NullPartition = "__HIVE_DEFAULT_PARTITION__";

    /// <summary>The log folder.</summary>
    public const string LogFolder = "_delta_log/";

    /// <summary>The Hive-escaped <c>col=value</c> directory of one partition value (the physical name).</summary>
    public static string PartitionDirectory(string column, string? value) =>
        EscapePathName(column) + "=" + (string.IsNullOrEmpty(value) ? NullPartition : EscapePathName(value));

    /// <summary>The physical directory (no trailing slash) of a set of partition values, in partition-column order.</summary>
    public static string PartitionDirectories(IReadOnlyList<string> partitionColumns, IReadOnlyDictionary<string, string?> values)
    {
        var sb = new StringBuilder();
        foreach (var column in partitionColumns)
        {
            if (sb.Length > 0)
            {
                sb.Append('/');
            }

            values.TryGetValue(column, out var value);
            sb.Append(PartitionDirectory(column, value));
        }

        return sb.ToString();
    }

    /// <summary>Hive's escaping of a path segment: control characters and <c>"#%'*/:=?\{[]^</c> become <c>%XX</c>.</summary>
    public static string EscapePathName(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        StringBuilder? sb = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (NeedsHiveEscape(c))
            {
                sb ??= new StringBuilder(value, 0, i, value.Length + 8);
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb?.Append(c);
            }
        }

        return sb?.ToString() ?? value;
    }

    /// <summary>The log's URI form of a relative physical path.</summary>
    public static string ToUriPath(string physicalPath)
    {
        ArgumentNullException.ThrowIfNull(physicalPath);
        var bytes = Encoding.UTF8.GetBytes(physicalPath);
        var sb = new StringBuilder(physicalPath.Length + 8);
        foreach (var b in bytes)
        {
            if (IsUriPathChar(b))
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>Decodes a log path (percent-decoding as UTF-8) to the physical relative key.</summary>
    public static string FromUriPath(string uriPath)
    {
        ArgumentNullException.ThrowIfNull(uriPath);
        if (!uriPath.Contains('%', StringComparison.Ordinal))
        {
            return uriPath;
        }

        // Percent-escapes are bytes of UTF-8; everything else is copied as UTF-8 in runs, so surrogate pairs
        // (emoji and other characters beyond U+FFFF) stay whole.
        var bytes = new List<byte>(uriPath.Length + 8);
        var run = 0;
        for (var i = 0; i < uriPath.Length; i++)
        {
            if (uriPath[i] == '%' && i + 2 < uriPath.Length && IsHex(uriPath[i + 1]) && IsHex(uriPath[i + 2]))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(uriPath[run..i]));
                bytes.Add(byte.Parse(uriPath.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
                run = i + 1;
            }
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(uriPath[run..]));
        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>
    /// The object key of a log path relative to the table root. Absolute URIs (<c>file:</c>, <c>s3:</c>) are
    /// refused: this library only writes and reads relative paths.
    /// </summary>
    public static string KeyOf(string logPath)
    {
        if (logPath.Contains("://", StringComparison.Ordinal) || logPath.StartsWith("file:", StringComparison.Ordinal) || logPath.StartsWith('/'))
        {
            throw new DeltaFormatException($"absolute data-file paths are not supported: '{logPath}'");
        }

        return FromUriPath(logPath);
    }

    /// <summary>The commit file key of a version.</summary>
    public static string CommitKey(long version) => LogFolder + version.ToString("D20", CultureInfo.InvariantCulture) + ".json";

    /// <summary>The classic checkpoint key of a version.</summary>
    public static string CheckpointKey(long version) => LogFolder + version.ToString("D20", CultureInfo.InvariantCulture) + ".checkpoint.parquet";

    /// <summary>The <c>_last_checkpoint</c> key.</summary>
    public const string LastCheckpointKey = LogFolder + "_last_checkpoint";

    private static bool NeedsHiveEscape(char c) =>
        c < ' ' || c == '\u007F' || c is '"' or '#' or '%' or '\'' or '*' or '/' or ':' or '=' or '?' or '\\' or '{' or '[' or ']' or '^';

    private static bool IsUriPathChar(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'!' or (byte)'~' or (byte)'*' or (byte)'\'' or (byte)'(' or (byte)')'
            or (byte)';' or (byte)':' or (byte)'@' or (byte)'&' or (byte)'=' or (byte)'+' or (byte)'$' or (byte)',' or (byte)'/';

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
