using System.Buffers;
using Clickstream.Collector.Metrics;
using Microsoft.Extensions.Logging;

namespace Clickstream.Collector.Landing;

/// <summary>
/// The local stream: an append-only NDJSON log with group commit. Request threads copy their lines into the
/// pending buffer under a short lock and wait on the current batch's task; one dedicated flusher thread swaps the
/// buffers, writes and fsyncs the batch, and completes that task, so every request that joined the batch is
/// acknowledged by one fsync. The flusher alone owns the file: it opens it lazily, rolls it by size and age, and
/// publishes it by an atomic rename to a visible name.
/// </summary>
internal sealed class LandingWriter : IEventSink, IDisposable
{
    private readonly string _directory;
    private readonly long _rollBytes;
    private readonly TimeSpan _rollAge;
    private readonly int _maxPendingBytes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CollectorMetrics _metrics;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Thread _flusher;

    // Guarded by _gate (request threads and the flusher).
    private ArrayBufferWriter<byte> _pending = new(1 << 16);
    private TaskCompletionSource _pendingBatch = NewBatch();
    private bool _signalled;
    private bool _closing;

    // Owned by the flusher thread.
    private ArrayBufferWriter<byte> _flushing = new(1 << 16);
    private FileStream? _file;
    private string? _stem;
    private DateTimeOffset _openedAt;
    private long _sequence;

    private volatile bool _healthy = true;

    public LandingWriter(string directory, long rollBytes, TimeSpan rollAge, int maxPendingBytes, TimeProvider time, CollectorMetrics metrics, ILogger logger)
    {
        _directory = Path.GetFullPath(directory);
        _rollBytes = rollBytes;
        _rollAge = rollAge;
        _maxPendingBytes = maxPendingBytes;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        Directory.CreateDirectory(_directory);
        RecoverLeftovers();
        _flusher = new Thread(FlushLoop) { IsBackground = true, Name = "landing-flusher" };
        _flusher.Start();
    }

    /// <inheritdoc />
    public string Description => _directory;

    /// <summary>False after a failed write until a later write succeeds.</summary>
    public bool IsHealthy => _healthy && !_closing;

    /// <summary>
    /// Appends complete NDJSON lines; the task completes once they are fsync'd, or fails with
    /// <see cref="SinkUnavailableException"/>.
    /// </summary>
    public Task AppendAsync(ReadOnlySpan<byte> lines)
    {
        lock (_gate)
        {
            if (_closing)
            {
                return Task.FromException(new SinkUnavailableException("the collector is shutting down"));
            }

            if (_pending.WrittenCount + lines.Length > _maxPendingBytes)
            {
                return Task.FromException(new SinkUnavailableException("the landing buffer is full"));
            }

            lines.CopyTo(_pending.GetSpan(lines.Length));
            _pending.Advance(lines.Length);
            if (!_signalled)
            {
                _signalled = true;
                _signal.Release();
            }

            return _pendingBatch.Task;
        }
    }

    /// <inheritdoc cref="Dispose" />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes what is pending, publishes the open file and stops the flusher.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            _signal.Release();
        }

        _flusher.Join();
        _signal.Dispose();
    }

    private static TaskCompletionSource NewBatch() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void FlushLoop()
    {
        while (true)
        {
            var wait = _file is null ? Timeout.InfiniteTimeSpan : _openedAt + _rollAge - _time.GetUtcNow();
            if (wait == Timeout.InfiniteTimeSpan || wait > TimeSpan.Zero)
            {
                _signal.Wait(wait);
            }

            TaskCompletionSource batch;
            bool closing;
            lock (_gate)
            {
                (_pending, _flushing) = (_flushing, _pending);
                batch = _pendingBatch;
                _pendingBatch = NewBatch();
                _signalled = false;
                closing = _closing;
            }

            if (_flushing.WrittenCount > 0)
            {
                WriteBatch(batch);
                _flushing.ResetWrittenCount();
            }
            else
            {
                batch.TrySetResult();
            }

            if (_file is not null && (closing || _file.Length >= _rollBytes || _time.GetUtcNow() - _openedAt >= _rollAge))
            {
                Publish();
            }

            if (closing)
            {
                return;
            }
        }
    }

    private void WriteBatch(TaskCompletionSource batch)
    {
        long durableLength = 0;
        try
        {
            if (_file is null)
            {
                Open();
            }

            durableLength = _file!.Length;
            _file.Write(_flushing.WrittenSpan);
            _file.Flush(flushToDisk: true);
            _metrics.Flushed(_flushing.WrittenCount);
            _healthy = true;
            batch.TrySetResult();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _healthy = false;
            _logger.LogError(e, "Writing the landing file failed; the waiting requests get 503");
            batch.TrySetException(new SinkUnavailableException("the events could not be written to the landing file", e));
            AbandonFile(durableLength);
        }
    }

    private void Open()
    {
        _openedAt = _time.GetUtcNow();
        do
        {
            _stem = LandingFileNames.Stem(_openedAt, _sequence++);
        }
        while (File.Exists(Path.Combine(_directory, LandingFileNames.OpenName(_stem)))
            || File.Exists(Path.Combine(_directory, LandingFileNames.PublishedName(_stem))));

        _file = new FileStream(Path.Combine(_directory, LandingFileNames.OpenName(_stem)), FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
    }

    private void Publish()
    {
        var file = _file!;
        _file = null;
        try
        {
            file.Dispose();
            var from = Path.Combine(_directory, LandingFileNames.OpenName(_stem!));
            File.Move(from, Path.Combine(_directory, LandingFileNames.PublishedName(_stem!)));
            _metrics.Published();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The content is durable under the hidden name; the next start publishes it.
            _healthy = false;
            _logger.LogError(e, "Publishing the landing file failed; it is published at the next start");
        }
    }

    /// <summary>After a failed write: cut back to what was fsync'd (no partial line), then publish that.</summary>
    private void AbandonFile(long durableLength)
    {
        if (_file is null)
        {
            return;
        }

        try
        {
            _file.SetLength(durableLength);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogError(e, "Truncating the landing file after a failed write failed");
        }

        Publish();
    }

    /// <summary>
    /// A previous run may have stopped with its open file unpublished. Everything up to its last newline was
    /// fsync'd before that run acknowledged it; a trailing partial line was never acknowledged and is cut off.
    /// </summary>
    private void RecoverLeftovers()
    {
        foreach (var path in Directory.EnumerateFiles(_directory, LandingFileNames.OpenPrefix + "*" + LandingFileNames.OpenSuffix))
        {
            var published = LandingFileNames.PublishedNameFor(Path.GetFileName(path));
            if (published is null)
            {
                continue;
            }

            using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                file.SetLength(LengthThroughLastNewline(file));
                file.Flush(flushToDisk: true);
                if (file.Length == 0)
                {
                    file.Dispose();
                    File.Delete(path);
                    continue;
                }
            }

            File.Move(path, Path.Combine(_directory, published));
            _logger.LogWarning("Published landing file {File} left open by a previous run", published);
        }
    }

    private static long LengthThroughLastNewline(FileStream file)
    {
        var buffer = new byte[64 * 1024];
        var end = file.Length;
        while (end > 0)
        {
            var start = Math.Max(0, end - buffer.Length);
            file.Position = start;
            file.ReadExactly(buffer, 0, (int)(end - start));
            var nl = buffer.AsSpan(0, (int)(end - start)).LastIndexOf((byte)'\n');
            if (nl >= 0)
            {
                return start + nl + 1;
            }

            end = start;
        }

        return 0;
    }
}
