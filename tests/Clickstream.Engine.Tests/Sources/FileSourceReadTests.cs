using System.IO.Compression;
using System.Text;
using Clickstream.Engine.Sources;

namespace Clickstream.Engine.Tests.Sources;

public sealed class FileSourceReadTests
{
    [Fact]
    public void Read_PlainFile_GivesEachLineWithItsByteOffset()
    {
        using var folder = new SourceFolder();
        var path = folder.Write("a.json", "{\"a\":1}\n{\"é\":2}\n{\"c\":3}\n");

        var lines = ReadFolder(folder);

        Assert.Equal(
            [new("{\"a\":1}", path, 0, false), new("{\"é\":2}", path, 8, false), new("{\"c\":3}", path, 17, false)],
            lines);
    }

    [Fact]
    public void Read_GzipFile_DecompressesWithOffsetsInDecompressedStream()
    {
        using var folder = new SourceFolder();
        var content = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            content.Append("{\"n\":").Append(i).Append("}\n");
        }

        var path = folder.WriteGzip("events.json.gz", content.ToString());

        var lines = ReadFolder(folder);

        Assert.Equal(20_000, lines.Count);
        Assert.Equal(new RecordedLine("{\"n\":0}", path, 0, false), lines[0]);
        Assert.Equal(new RecordedLine("{\"n\":1}", path, 8, false), lines[1]);
        Assert.Equal("{\"n\":19999}", lines[^1].Text);
        Assert.Equal(content.Length - 12, lines[^1].Offset);
    }

    [Fact]
    public void Read_CrlfLineEndings_StripsCarriageReturn()
    {
        using var folder = new SourceFolder();
        folder.Write("a.json", "{\"a\":1}\r\n{\"b\":2}\r\n{\"c\":3}\r");

        var lines = ReadFolder(folder);

        Assert.Equal(["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"], lines.Select(l => l.Text));
        Assert.Equal([0L, 9, 18], lines.Select(l => l.Offset));
    }

    [Fact]
    public void Read_BlankLines_AreSkipped()
    {
        using var folder = new SourceFolder();
        folder.Write("a.json", "\n{\"a\":1}\n\n   \n\t \r\n\r\n{\"b\":2}\n \n");

        var lines = ReadFolder(folder);

        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], lines.Select(l => l.Text));
        Assert.Equal([1L, 20], lines.Select(l => l.Offset));
    }

    [Fact]
    public void Read_FinalLineWithoutNewline_IsRead()
    {
        using var folder = new SourceFolder();
        folder.Write("a.json", "{\"a\":1}\n{\"b\":2}");

        var lines = ReadFolder(folder);

        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], lines.Select(l => l.Text));
    }

    [Fact]
    public void Read_LineLongerThanMax_IsTruncatedAndFlagged()
    {
        using var folder = new SourceFolder();
        var longLine = new string('x', 40);
        folder.Write("a.json", $"0123456789abcdef\r\n{longLine}\nshort\n{longLine}");

        var lines = ReadFolder(folder, new FileSourceOptions { MaxLineBytes = 16 });

        Assert.Equal(
            [("0123456789abcdef", false), (new string('x', 16), true), ("short", false), (new string('x', 16), true)],
            lines.Select(l => (l.Text, l.Truncated)));
        Assert.Equal([0L, 18, 59, 65], lines.Select(l => l.Offset));
    }

    [Fact]
    public void Read_LineLongerThanBufferWithinMax_GrowsBufferAndKeepsLine()
    {
        using var folder = new SourceFolder();
        var huge = new string('y', (NdjsonLineReader.BufferBytes * 5) / 2);
        folder.Write("a.json", $"first\n{huge}\nlast\n");

        var lines = ReadFolder(folder, new FileSourceOptions { MaxLineBytes = 4 << 20 });

        Assert.Equal(["first", huge, "last"], lines.Select(l => l.Text));
        Assert.All(lines, l => Assert.False(l.Truncated));
        Assert.Equal(6 + huge.Length + 1, lines[2].Offset);
    }

    [Fact]
    public void Read_LineLongerThanBufferAndMax_IsTruncatedAndNextLinesRead()
    {
        using var folder = new SourceFolder();
        var huge = new string('z', (NdjsonLineReader.BufferBytes * 5) / 2);
        folder.Write("a.json", $"first\n{huge}\nlast\n{huge}");

        var lines = ReadFolder(folder);

        Assert.Equal(4, lines.Count);
        Assert.Equal(("first", false), (lines[0].Text, lines[0].Truncated));
        Assert.Equal((huge[..FileSourceOptions.DefaultMaxLineBytes], true), (lines[1].Text, lines[1].Truncated));
        Assert.Equal(("last", false), (lines[2].Text, lines[2].Truncated));
        Assert.Equal(6 + huge.Length + 1, lines[2].Offset);
        Assert.True(lines[3].Truncated);
        Assert.Equal(6 + huge.Length + 1 + 5, lines[3].Offset);
    }

    [Fact]
    public void Read_FileGrewAfterDiscovery_ReadsOnlyLoggedSize()
    {
        using var folder = new SourceFolder();
        var path = folder.Write("a.json", "{\"a\":1}\n{\"b\":2}");
        using var reader = folder.Reader(folder.Source());
        var end = reader.LatestOffset(null)!;
        File.AppendAllText(path, "3}\n{\"c\":4}\n");

        var lines = SourceFolder.ReadAll(reader, null, end);

        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], lines.Select(l => l.Text));
    }

    [Fact]
    public void PlanSplits_FileOverSplitBytes_CutsIntoByteRanges()
    {
        using var folder = new SourceFolder();
        var path = folder.Write("a.json", new string('a', 999) + "\n");
        folder.WriteGzip("b.json.gz", new string('b', 999) + "\n", secondsAfterBase: 1);
        using var reader = folder.Reader(folder.Source(new FileSourceOptions { SplitBytes = 300 }));

        var splits = reader.PlanSplits(null, reader.LatestOffset(null)!);

        Assert.Equal(5, splits.Count);
        Assert.Equal($"{path}[0..300)", splits[0].Id);
        Assert.Equal($"{path}[900..1000)", splits[3].Id);
        Assert.Equal([300L, 300, 300, 100], splits.Take(4).Select(s => s.EstimatedBytes));
        Assert.EndsWith("b.json.gz", splits[4].Id, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanSplits_RandomSplitSizes_ReadEveryLineExactlyOnce()
    {
        using var folder = new SourceFolder();
        var random = new Random(20240501);
        var (content, expected) = RandomFile(random, lines: 400, maxLineBytes: 120, maxPad: 60);
        var path = folder.WriteBytes("a.json", content);
        var sizes = new List<long> { 1, 2, 3, 5, 119, 120, 121, 122, content.Length - 1, content.Length };
        for (var i = 0; i < 150; i++)
        {
            sizes.Add(random.Next(1, content.Length));
        }

        foreach (var size in sizes)
        {
            var options = new FileSourceOptions { SplitBytes = size, MaxLineBytes = 120 };
            using var reader = folder.Reader(folder.Source(options), Path.Combine(folder.Root, $"meta-{size}"));
            var lines = SourceFolder.ReadAll(reader, null, reader.LatestOffset(null)!);

            Assert.True(
                expected.SequenceEqual(lines.Select(l => (l.Text, l.Offset, l.Truncated))),
                $"split size {size}: read {lines.Count} lines, expected {expected.Count}");
            Assert.All(lines, l => Assert.Equal(path, l.File));
        }
    }

    [Fact]
    public void Read_FileSpanningManyBuffers_ReadsEveryLineOncePlainAndGzip()
    {
        using var folder = new SourceFolder();
        var random = new Random(7);
        var maxLineBytes = 4096;
        var (content, expected) = RandomFile(random, lines: 20_000, maxLineBytes, maxPad: 400);
        Assert.True(content.Length > 3 * NdjsonLineReader.BufferBytes);
        folder.WriteBytes("plain.json", content);
        using (var compressed = new MemoryStream())
        {
            using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(content);
            }

            folder.WriteBytes("zipped.json.gz", compressed.ToArray(), secondsAfterBase: 1);
        }

        foreach (var splitBytes in new long[] { FileSourceOptions.DefaultSplitBytes, NdjsonLineReader.BufferBytes + 7, 777_777 })
        {
            var options = new FileSourceOptions { SplitBytes = splitBytes, MaxLineBytes = maxLineBytes };
            using var reader = folder.Reader(folder.Source(options), Path.Combine(folder.Root, $"meta-{splitBytes}"));
            var lines = SourceFolder.ReadAll(reader, null, reader.LatestOffset(null)!);

            Assert.Equal(2 * expected.Count, lines.Count);
            var plain = lines.Take(expected.Count).Select(l => (l.Text, l.Offset, l.Truncated));
            var zipped = lines.Skip(expected.Count).Select(l => (l.Text, l.Offset, l.Truncated));
            Assert.True(expected.SequenceEqual(plain), $"plain file, split size {splitBytes}");
            Assert.True(expected.SequenceEqual(zipped), $"gzip file, split size {splitBytes}");
        }
    }

    private static List<RecordedLine> ReadFolder(SourceFolder folder, FileSourceOptions? options = null)
    {
        using var reader = folder.Reader(folder.Source(options));
        var end = reader.LatestOffset(null);
        Assert.NotNull(end);
        return SourceFolder.ReadAll(reader, null, end);
    }

    /// <summary>
    /// Random NDJSON-ish content with short, empty, blank, CRLF and over-long lines (including ones that span many
    /// small splits), and the lines a correct reader must produce, found by the simplest possible scan.
    /// </summary>
    private static (byte[] Content, List<(string Text, long Offset, bool Truncated)> Expected) RandomFile(Random random, int lines, int maxLineBytes, int maxPad)
    {
        var text = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            var kind = random.Next(10);
            var body = kind switch
            {
                0 => string.Empty,
                1 => new string(' ', random.Next(1, 4)),
                2 => new string('L', random.Next(maxLineBytes - 2, maxLineBytes * 3)),
                _ => $"{{\"i\":{i},\"pad\":\"{new string('p', random.Next(0, maxPad))}\"}}",
            };
            text.Append(body).Append(random.Next(4) == 0 ? "\r\n" : "\n");
        }

        text.Append("{\"final\":true}"); // no trailing newline
        var content = Encoding.UTF8.GetBytes(text.ToString());

        var expected = new List<(string, long, bool)>();
        var start = 0;
        while (start < content.Length)
        {
            var newline = Array.IndexOf(content, (byte)'\n', start);
            var end = newline < 0 ? content.Length : newline;
            var line = Encoding.UTF8.GetString(content, start, end - start).TrimEnd('\r');
            if (line.Length > maxLineBytes)
            {
                expected.Add((line[..maxLineBytes], start, true));
            }
            else if (line.Trim().Length > 0)
            {
                expected.Add((line, start, false));
            }

            start = end + 1;
        }

        return (content, expected);
    }
}
