using System.Globalization;
using System.IO.Compression;

namespace Clickstream.Engine.Sources;

/// <summary>
/// One file, or the byte range [<c>start</c>, <c>end</c>) of an uncompressed file: every line that starts in the
/// range. Immutable; <see cref="Read"/> runs on a worker thread with its own decoder and buffer.
/// </summary>
internal sealed class FileSplit<T> : ISourceSplit<T>
{
    // Decompressed JSON is typically several times its gzip size; the estimate only orders work.
    private const long GzipExpansion = 8;

    // GZipStream pulls small chunks from the file; a file buffer of this size keeps the syscalls few.
    private const int GzipFileBufferBytes = 64 << 10;

    private readonly FileSource<T> _source;
    private readonly FileEntry _file;
    private readonly long _logId;
    private readonly long _start;
    private readonly long _end;

    public FileSplit(FileSource<T> source, FileEntry file, long logId, long start, long end)
    {
        _source = source;
        _file = file;
        _logId = logId;
        _start = start;
        _end = end;
        Id = file.IsGzip || (start == 0 && end == file.Size)
            ? file.Path
            : string.Create(CultureInfo.InvariantCulture, $"{file.Path}[{start}..{end})");
    }

    public string Id { get; }

    public long EstimatedBytes => _file.IsGzip ? _file.Size * GzipExpansion : _end - _start;

    public static FileNotFoundException Missing(FileSource<T> source, FileEntry file, long logId, Exception? inner) =>
        new(
            $"{source.Description}: file {file.Path} (source log entry {logId}) no longer exists; "
            + "its rows cannot be read. Restore the file, or remove the checkpoint to start over.",
            file.Path,
            inner);

    public void Read(List<T> output, CancellationToken cancellationToken)
    {
        var decoder = _source.DecoderFactory();
        var maxLineBytes = _source.Options.MaxLineBytes;
        FileStream stream;
        try
        {
            // No FileStream buffer for plain files: the line reader reads large blocks into its own pooled buffer.
            stream = new FileStream(
                _file.Path,
                FileMode.Open,
                FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete,
                _file.IsGzip ? GzipFileBufferBytes : 0,
                FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Missing(_source, _file, _logId, e);
        }

        using (stream)
        {
            if (_file.IsGzip)
            {
                using var gzip = new GZipStream(stream, CompressionMode.Decompress);
                var whole = new NdjsonLineReader.Range(0, long.MaxValue, long.MaxValue);
                NdjsonLineReader.Read(gzip, whole, maxLineBytes, decoder, _file.Path, output, cancellationToken);
                return;
            }

            if (stream.Length < _file.Size)
            {
                throw new IOException(
                    $"{_source.Description}: file {_file.Path} shrank from {_file.Size} to {stream.Length} bytes after it was "
                    + "discovered; files must not change once they are in the folder");
            }

            // Reading stops at the logged size, so a re-run reads the same bytes even if the file grew meanwhile.
            var range = new NdjsonLineReader.Range(_start, _end, _file.Size);
            stream.Position = range.ReadFrom;
            NdjsonLineReader.Read(stream, range, maxLineBytes, decoder, _file.Path, output, cancellationToken);
        }
    }
}
