using System.Globalization;
using System.IO.Compression;

namespace Clickstream.Jobs.Generate;

/// <summary>
/// Writes one landing file the way the collector does: into a <c>.tmp</c> name, then renamed, so that a reader
/// listing the folder never sees a half-written <c>events-*.ndjson</c> file.
/// </summary>
internal sealed class EventFileWriter : IDisposable
{
    private const int BufferSize = 1 << 16;

    private readonly FileStream _file;
    private readonly Stream _output;
    private readonly string _temporaryPath;
    private bool _completed;

    public EventFileWriter(string directory, int index, bool gzip)
    {
        FinalPath = Path.Combine(directory, FileName(index, gzip));
        _temporaryPath = FinalPath + ".tmp";
        _file = new FileStream(_temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize);

        // Deflate pays a cost per call, so lines are batched before they reach it. Fastest keeps 2M events in seconds.
        _output = gzip ? new BufferedStream(new GZipStream(_file, CompressionLevel.Fastest), BufferSize) : _file;
    }

    public string FinalPath { get; }

    public static string FileName(int index, bool gzip) =>
        $"events-{index.ToString("D5", CultureInfo.InvariantCulture)}.ndjson{(gzip ? ".gz" : "")}";

    public void WriteLine(ReadOnlySpan<byte> line)
    {
        _output.Write(line);
        _output.WriteByte((byte)'\n');
    }

    /// <summary>Closes the file, stamps its modification time and gives it its final name; returns its size on disk.</summary>
    public long Complete(DateTime modifiedUtc)
    {
        _output.Dispose();
        _file.Dispose();
        File.SetLastWriteTimeUtc(_temporaryPath, modifiedUtc);
        File.Move(_temporaryPath, FinalPath);
        _completed = true;
        return new FileInfo(FinalPath).Length;
    }

    /// <summary>Without <see cref="Complete"/> (an error or Ctrl+C), removes the partial file.</summary>
    public void Dispose()
    {
        if (_completed)
        {
            return;
        }

        _output.Dispose();
        _file.Dispose();
        File.Delete(_temporaryPath);
    }
}
