using System.IO.Compression;
using System.Text;
using Clickstream.Engine.Sources;

namespace Clickstream.Engine.Tests.Sources;

/// <summary>
/// A temporary landing folder (<see cref="Data"/>) and source metadata folder (<see cref="Metadata"/>) for file
/// source tests, deleted on dispose.
/// </summary>
internal sealed class SourceFolder : IDisposable
{
    public static readonly DateTime BaseTime = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    public SourceFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "clickstream-filesource-" + Guid.NewGuid().ToString("N"));
        Data = Path.Combine(Root, "data");
        Metadata = Path.Combine(Root, "meta");
        Directory.CreateDirectory(Data);
        Directory.CreateDirectory(Metadata);
    }

    public string Root { get; }

    public string Data { get; }

    public string Metadata { get; }

    /// <summary>Writes a plain file; <paramref name="secondsAfterBase"/> sets its last write time.</summary>
    public string Write(string name, string content, int secondsAfterBase = 0) =>
        WriteBytes(name, Encoding.UTF8.GetBytes(content), secondsAfterBase);

    public string WriteBytes(string name, byte[] content, int secondsAfterBase = 0)
    {
        var path = Path.Combine(Data, name);
        File.WriteAllBytes(path, content);
        File.SetLastWriteTimeUtc(path, BaseTime.AddSeconds(secondsAfterBase));
        return path;
    }

    public string WriteGzip(string name, string content, int secondsAfterBase = 0)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(content));
        }

        return WriteBytes(name, compressed.ToArray(), secondsAfterBase);
    }

    public FileSource<RecordedLine> Source(FileSourceOptions? options = null) =>
        new(Data, () => new RecordingDecoder(), options);

    public IStreamSourceReader<RecordedLine> Reader(FileSource<RecordedLine> source, string? metadata = null) =>
        source.CreateReader(new SourceContext(metadata ?? Metadata, TimeProvider.System));

    /// <summary>Plans the range and reads every split in plan order, as the executor concatenates them.</summary>
    public static List<RecordedLine> ReadAll(IStreamSourceReader<RecordedLine> reader, string? start, string end)
    {
        var lines = new List<RecordedLine>();
        foreach (var split in reader.PlanSplits(start, end))
        {
            split.Read(lines, CancellationToken.None);
        }

        return lines;
    }

    /// <summary>The distinct files of a range, in plan order.</summary>
    public static List<string> PlannedFiles(IStreamSourceReader<RecordedLine> reader, string? start, string end)
    {
        var files = new List<string>();
        foreach (var line in ReadAll(reader, start, end))
        {
            if (files.Count == 0 || files[^1] != line.File)
            {
                files.Add(line.File);
            }
        }

        return files;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail the test that already ran.
        }
    }
}
