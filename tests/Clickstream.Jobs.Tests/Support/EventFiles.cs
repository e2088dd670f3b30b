using System.IO.Compression;
using System.Text;

namespace Clickstream.Jobs.Tests.Support;

/// <summary>
/// Landing files for tests: writes NDJSON files whose modification times increase in name order (the order the
/// job's file source takes them in), and reads files back as the lines the source would hand over.
/// </summary>
internal static class EventFiles
{
    private static readonly DateTime BaseTime = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Writes <c>events-0000i.ndjson</c> for each file, one line per string, each ending with a newline.</summary>
    public static IReadOnlyList<string> WriteAll(string folder, params string[][] files)
    {
        var paths = new List<string>();
        for (var i = 0; i < files.Length; i++)
        {
            var text = string.Concat(files[i].Select(line => line + "\n"));
            paths.Add(WriteBytes(folder, i, Encoding.UTF8.GetBytes(text)));
        }

        return paths;
    }

    /// <summary>Writes file number <paramref name="index"/> with exactly <paramref name="content"/>.</summary>
    public static string WriteBytes(string folder, int index, byte[] content)
    {
        var path = Path.Combine(folder, $"events-{index:D5}.ndjson");
        File.WriteAllBytes(path, content);
        File.SetLastWriteTimeUtc(path, BaseTime.AddMinutes(index));
        return path;
    }

    /// <summary>The event files of a folder in the job's order: modification time, then name.</summary>
    public static IReadOnlyList<string> InJobOrder(string folder) =>
        [.. Directory.GetFiles(folder, "events-*")
            .Select(Path.GetFullPath)
            .OrderBy(File.GetLastWriteTimeUtc)
            .ThenBy(p => p, StringComparer.Ordinal)];

    /// <summary>
    /// The lines of a file (gzip when the name ends in .gz): split at '\n', a trailing '\r' removed, the last line
    /// kept without a newline, and lines of only spaces, tabs and '\r' skipped, because they are not events.
    /// </summary>
    public static IReadOnlyList<InputLine> ReadLines(string path)
    {
        var bytes = path.EndsWith(".gz", StringComparison.Ordinal) ? Gunzip(path) : File.ReadAllBytes(path);
        var lines = new List<InputLine>();
        var start = 0;
        while (start < bytes.Length)
        {
            var newline = Array.IndexOf(bytes, (byte)'\n', start);
            var end = newline < 0 ? bytes.Length : newline;
            var length = end - start;
            if (length > 0 && bytes[end - 1] == (byte)'\r')
            {
                length--;
            }

            var line = bytes.AsSpan(start, length);
            if (line.ContainsAnyExcept((byte)' ', (byte)'\t', (byte)'\r'))
            {
                lines.Add(new InputLine(path, start, line.ToArray()));
            }

            start = end + 1;
        }

        return lines;
    }

    private static byte[] Gunzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
