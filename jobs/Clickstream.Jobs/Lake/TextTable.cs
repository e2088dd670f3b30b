using System.Globalization;
using System.Text;

namespace Clickstream.Jobs.Lake;

/// <summary>Rows printed as aligned columns under a header; numbers right-aligned.</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly bool[] _right;
    private readonly List<string[]> _rows = [];

    /// <summary>Columns by header; a header ending in <c>&gt;</c> is right-aligned (the marker is not printed).</summary>
    public TextTable(params string[] headers)
    {
        _right = [.. headers.Select(h => h.EndsWith('>'))];
        _headers = [.. headers.Select(h => h.TrimEnd('>'))];
    }

    public int Count => _rows.Count;

    public void Add(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"a row needs {_headers.Length} cells, got {cells.Length}", nameof(cells));
        }

        _rows.Add(cells);
    }

    /// <summary>Writes the rows under the header (or without it, for key/value lists).</summary>
    public void WriteTo(TextWriter output, string indent = "  ", bool header = true)
    {
        var rows = header ? _rows.Prepend(_headers).ToList() : _rows;
        var widths = new int[_headers.Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in rows)
        {
            var line = new StringBuilder(indent);
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    line.Append("  ");
                }

                line.Append(_right[i] ? row[i].PadLeft(widths[i]) : row[i].PadRight(widths[i]));
            }

            output.WriteLine(line.ToString().TrimEnd());
        }
    }

    /// <summary>An integer with thousands separators.</summary>
    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A byte count with its binary-prefixed size: <c>1,234,567 (1.2 MiB)</c>.</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
        if (bytes < 1024)
        {
            return Number(bytes) + " B";
        }

        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} B ({value:0.0} {units[unit]})");
    }

    /// <summary>An instant as ISO-8601 UTC with milliseconds.</summary>
    public static string Instant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
