using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Clickstream.Delta.Storage;

namespace Clickstream.Aws.S3;

/// <summary>
/// A Delta <see cref="IObjectStore"/> on S3. Put-if-absent is a PUT with <c>If-None-Match: *</c>: S3 answers 412
/// when the key exists (the commit is lost to another writer) and 409 ConditionalRequestConflict when conditional
/// writes to the key race (retried, as the SDK does not retry it). Every call runs through <see cref="AwsRetry"/>.
/// A retried conditional PUT whose first attempt may have landed (its answer was lost) meets 412 from itself: the
/// object is read back, and the same bytes mean this writer won. Objects above <see cref="PartSize"/> go up in
/// parts, streamed while they are written when they come through <see cref="WriteIfAbsentAsync"/> (the condition
/// then sits on CompleteMultipartUpload, so a lost race still stores nothing, and a completion retried after a
/// lost answer is recognised by the writer's mark on the object). PUTs and completed uploads replace objects
/// atomically on S3, so readers never see a partial object.
/// </summary>
public sealed class S3ObjectStore : IObjectStore
{
    /// <summary>Objects larger than this go up in parts of this size (S3's minimum part is 5 MiB).</summary>
    public const int PartSize = S3UploadStream.PartSize;

    private readonly IAmazonS3 _s3;
    private readonly S3Uri _root;
    private readonly AwsRetry _retry;

    /// <summary>A store whose keys are relative to <paramref name="root"/>.</summary>
    public S3ObjectStore(IAmazonS3 s3, S3Uri root, AwsRetry retry)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(retry);
        _s3 = s3;
        _root = root;
        _retry = retry;
    }

    /// <summary>The location the keys are relative to.</summary>
    public S3Uri Root => _root;

    /// <summary>Retries made so far (throttling, 5xx, timeouts, 409 conflicts).</summary>
    public long Retries => _retry.Retries;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ObjectInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var request = new ListObjectsV2Request { BucketName = _root.Bucket, Prefix = _root.ListPrefix + prefix };
        var skip = _root.ListPrefix.Length;
        var result = new List<ObjectInfo>();
        do
        {
            var page = await _retry.RunAsync($"LIST {Locate(prefix)}", ct => _s3.ListObjectsV2Async(request, ct), cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                var modified = item.LastModified is { } time ? new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.UnixEpoch;
                result.Add(new ObjectInfo(item.Key[skip..], item.Size ?? 0, modified));
            }

            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);

        result.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return result;
    }

    /// <inheritdoc />
    public Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return _retry.RunAsync<byte[]?>($"GET {Locate(key)}", async ct =>
        {
            try
            {
                using var response = await _s3.GetObjectAsync(_root.Bucket, _root.Key(key), ct).ConfigureAwait(false);
                var length = response.ContentLength;
                using var buffer = length is > 0 and < int.MaxValue ? new MemoryStream((int)length) : new MemoryStream();
                await response.ResponseStream.CopyToAsync(buffer, ct).ConfigureAwait(false);
                return buffer.ToArray();
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is "NoSuchKey" or null or "NotFound")
            {
                return null;
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return content.Length <= PartSize
            ? PutWholeIfAbsentAsync(key, content, cancellationToken)
            : UploadAsync(key, content, ifNoneMatch: true, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The content streams up in parts of <see cref="PartSize"/> while <paramref name="write"/> runs, at most a few
    /// parts in memory; content that fits in one part goes up as a single conditional PUT.
    /// </remarks>
    public async Task<long?> WriteIfAbsentAsync(string key, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(write);
        await using var upload = Open(key, ifNoneMatch: true);
        await write(upload, cancellationToken).ConfigureAwait(false);
        return await upload.CompleteAsync(cancellationToken).ConfigureAwait(false) ? upload.Length : null;
    }

    /// <inheritdoc />
    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (content.Length <= PartSize)
        {
            await PutWholeAsync(key, content, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await UploadAsync(key, content, ifNoneMatch: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var s3Key = _root.Key(key);
        var existed = await _retry.RunAsync($"HEAD {Locate(key)}", async ct =>
        {
            try
            {
                await _s3.GetObjectMetadataAsync(_root.Bucket, s3Key, ct).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        }, cancellationToken).ConfigureAwait(false);
        if (existed)
        {
            await _retry.RunAsync($"DELETE {Locate(key)}", ct => _s3.DeleteObjectAsync(_root.Bucket, s3Key, ct), cancellationToken).ConfigureAwait(false);
        }

        return existed;
    }

    /// <inheritdoc />
    public string Locate(string key) => $"s3://{_root.Bucket}/{_root.Key(key)}";

    private S3UploadStream Open(string key, bool ifNoneMatch) =>
        new(_s3, _retry, _root.Bucket, _root.Key(key), ifNoneMatch, ifNoneMatch
            ? (content, ct) => PutWholeIfAbsentAsync(key, content, ct)
            : async (content, ct) =>
            {
                await PutWholeAsync(key, content, ct).ConfigureAwait(false);
                return true;
            });

    private async Task<bool> UploadAsync(string key, ReadOnlyMemory<byte> content, bool ifNoneMatch, CancellationToken cancellationToken)
    {
        await using var upload = Open(key, ifNoneMatch);
        await upload.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        return await upload.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> PutWholeIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var attempts = 0;
        var created = await _retry.RunAsync($"PUT (if absent) {Locate(key)}", async ct =>
        {
            attempts++;
            try
            {
                await PutObjectAsync(key, content, ifNoneMatch: true, ct).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return false;
            }
        }, cancellationToken).ConfigureAwait(false);
        if (created || attempts == 1)
        {
            return created;
        }

        // An earlier attempt may have stored the object before its answer was lost.
        return await ReadAsync(key, cancellationToken).ConfigureAwait(false) is { } existing && existing.AsSpan().SequenceEqual(content.Span);
    }

    private Task PutWholeAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        _retry.RunAsync($"PUT {Locate(key)}", ct => PutObjectAsync(key, content, ifNoneMatch: false, ct), cancellationToken);

    private async Task PutObjectAsync(string key, ReadOnlyMemory<byte> content, bool ifNoneMatch, CancellationToken cancellationToken)
    {
        using var body = AsStream(content);
        var request = new PutObjectRequest
        {
            BucketName = _root.Bucket,
            Key = _root.Key(key),
            InputStream = body,
            AutoCloseStream = false,
            AutoResetStreamPosition = true,
        };
        if (ifNoneMatch)
        {
            request.IfNoneMatch = "*";
        }

        await _s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
