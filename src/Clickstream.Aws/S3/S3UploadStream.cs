using System.Buffers;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Clickstream.Aws.S3;

/// <summary>
/// A forward-only stream that uploads what is written to it as one S3 object, holding at most a few parts in
/// memory. Content that fits in one part goes up as a single PUT when the stream is completed; beyond that a
/// multipart upload starts, each full part is sent (and retried on its own) while writing goes on, at most
/// <see cref="ParallelParts"/> at a time, and <see cref="CompleteAsync"/> sends the last part and completes the
/// upload, with <c>If-None-Match: *</c> when the write is conditional. Nothing is visible under the key until
/// the upload completes; an upload that fails, loses its race or is disposed without completing is aborted.
/// </summary>
internal sealed class S3UploadStream : Stream
{
    /// <summary>The size of every part but the last (S3's minimum is 5 MiB).</summary>
    public const int PartSize = 16 * 1024 * 1024;

    /// <summary>Parts in flight at once, per upload.</summary>
    public const int ParallelParts = 4;

    private const string WriterMetadata = "x-amz-meta-clickstream-writer";

    private readonly IAmazonS3 _s3;
    private readonly AwsRetry _retry;
    private readonly string _bucket;
    private readonly string _key;
    private readonly string _location;
    private readonly bool _ifNoneMatch;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, Task<bool>> _putWhole;
    private readonly string _writer = Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim _slots = new(ParallelParts, ParallelParts);
    private readonly Queue<byte[]> _full = new();
    private readonly List<Task<PartETag>> _parts = [];
    private byte[]? _buffer;
    private int _filled;
    private long _length;
    private string? _uploadId;
    private bool _finished;

    /// <summary>An upload to <paramref name="key"/> in <paramref name="bucket"/>.</summary>
    /// <param name="s3">The client.</param>
    /// <param name="retry">Runs every call (parts, start, completion) with retries.</param>
    /// <param name="bucket">The bucket.</param>
    /// <param name="key">The full S3 key.</param>
    /// <param name="ifNoneMatch">Completes only if the key does not exist.</param>
    /// <param name="putWhole">Stores content that fits in one part with a single PUT; returns whether it was created.</param>
    public S3UploadStream(IAmazonS3 s3, AwsRetry retry, string bucket, string key, bool ifNoneMatch, Func<ReadOnlyMemory<byte>, CancellationToken, Task<bool>> putWhole)
    {
        _s3 = s3;
        _retry = retry;
        _bucket = bucket;
        _key = key;
        _location = $"s3://{bucket}/{key}";
        _ifNoneMatch = ifNoneMatch;
        _putWhole = putWhole;
    }

    /// <summary>Whether the content went up in parts (known once it outgrew one part).</summary>
    public bool IsMultipart => _uploadId is not null || _full.Count > 0;

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => !_finished;

    /// <inheritdoc />
    public override long Length => _length;

    /// <inheritdoc />
    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException("an upload is written forward only");
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    /// <remarks>A synchronous write never waits on the network: full parts queue until the next asynchronous call.</remarks>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!buffer.IsEmpty)
        {
            buffer = buffer[Append(buffer)..];
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!buffer.IsEmpty)
        {
            buffer = buffer[Append(buffer.Span)..];
            await SendFullPartsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => SendFullPartsAsync(cancellationToken);

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("an upload cannot be read");

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("an upload is written forward only");

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException("an upload is written forward only");

    /// <summary>
    /// Finishes the object: a single PUT if it fits in one part, else the last part and CompleteMultipartUpload.
    /// Returns false when the write is conditional and the key already exists (nothing of this upload remains).
    /// </summary>
    public async Task<bool> CompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (!IsMultipart)
        {
            _finished = true;
            try
            {
                return await _putWhole(_buffer.AsMemory(0, _filled), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ReturnBuffer();
            }
        }

        if (_filled > 0)
        {
            _full.Enqueue(_buffer!);
            _buffer = null;
        }

        await SendFullPartsAsync(cancellationToken).ConfigureAwait(false);
        _finished = true;
        var parts = await Task.WhenAll(_parts).ConfigureAwait(false);
        var request = new CompleteMultipartUploadRequest { BucketName = _bucket, Key = _key, UploadId = _uploadId, PartETags = [.. parts] };
        if (_ifNoneMatch)
        {
            request.IfNoneMatch = "*";
        }

        var attempts = 0;
        var created = await _retry.RunAsync($"complete upload of {_location}", async ct =>
        {
            attempts++;
            try
            {
                await _s3.CompleteMultipartUploadAsync(request, ct).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed
                || (attempts > 1 && e.ErrorCode == "NoSuchUpload"))
            {
                // 412: the key exists. NoSuchUpload on a retry: an earlier attempt may have completed it.
                return false;
            }
        }, cancellationToken).ConfigureAwait(false);
        if (!created && attempts > 1)
        {
            // An attempt whose answer was lost may have created the object: it carries this writer's mark.
            created = await WrittenByThisUploadAsync(cancellationToken).ConfigureAwait(false);
        }

        if (created)
        {
            _uploadId = null;
        }
        else if (!_ifNoneMatch)
        {
            throw new IOException($"{_location}: the multipart upload vanished before it completed");
        }

        return created;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        _finished = true;
        try
        {
            // Parts still in flight must end before the abort, or a late one would outlive it.
            try
            {
                await Task.WhenAll(_parts).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Their failure has been (or is being) reported by CompleteAsync or the writer.
            }

            if (_uploadId is { } uploadId)
            {
                _uploadId = null;
                await AbortAsync(uploadId).ConfigureAwait(false);
            }
        }
        finally
        {
            ReturnBuffer();
            while (_full.TryDequeue(out var buffer))
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            _slots.Dispose();
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    /// <summary>Copies as much of <paramref name="data"/> as fits; a part is sealed only when more must follow it.</summary>
    private int Append(ReadOnlySpan<byte> data)
    {
        if (_buffer is not null && _filled == PartSize)
        {
            _full.Enqueue(_buffer);
            _buffer = null;
        }

        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(PartSize);
            _filled = 0;
        }

        var n = Math.Min(data.Length, PartSize - _filled);
        data[..n].CopyTo(_buffer.AsSpan(_filled));
        _filled += n;
        _length += n;
        return n;
    }

    private async Task SendFullPartsAsync(CancellationToken cancellationToken)
    {
        while (_full.TryPeek(out var buffer))
        {
            if (_parts.FirstOrDefault(p => p.IsFaulted || p.IsCanceled) is { } failed)
            {
                await failed.ConfigureAwait(false);
            }

            _uploadId ??= await StartAsync(cancellationToken).ConfigureAwait(false);
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            _full.Dequeue();
            var length = _full.Count == 0 && _buffer is null ? _filled : PartSize;
            _parts.Add(SendPartAsync(_parts.Count + 1, buffer, length, cancellationToken));
        }
    }

    private async Task<string> StartAsync(CancellationToken cancellationToken)
    {
        var request = new InitiateMultipartUploadRequest { BucketName = _bucket, Key = _key };
        request.Metadata.Add(WriterMetadata, _writer);
        var started = await _retry.RunAsync($"start upload of {_location}", ct => _s3.InitiateMultipartUploadAsync(request, ct), cancellationToken).ConfigureAwait(false);
        return started.UploadId;
    }

    private async Task<PartETag> SendPartAsync(int number, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            var answer = await _retry.RunAsync($"PUT part {number} of {_location}", async ct =>
            {
                using var body = new MemoryStream(buffer, 0, length, writable: false);
                return await _s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _bucket,
                    Key = _key,
                    UploadId = _uploadId,
                    PartNumber = number,
                    InputStream = body,
                    PartSize = length,
                }, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            return new PartETag(number, answer.ETag);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _slots.Release();
        }
    }

    private async Task<bool> WrittenByThisUploadAsync(CancellationToken cancellationToken)
    {
        var metadata = await _retry.RunAsync<GetObjectMetadataResponse?>($"HEAD {_location}", async ct =>
        {
            try
            {
                return await _s3.GetObjectMetadataAsync(_bucket, _key, ct).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken).ConfigureAwait(false);
        return metadata?.Metadata[WriterMetadata] == _writer;
    }

    private async Task AbortAsync(string uploadId)
    {
        // Parts of an unfinished upload are billed until aborted; the bucket's lifecycle rule is the backstop.
        try
        {
            await _s3.AbortMultipartUploadAsync(_bucket, _key, uploadId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AmazonServiceException)
        {
        }
        catch (HttpRequestException)
        {
        }
    }

    private void ReturnBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
