using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Clickstream.Delta.Storage;

namespace Clickstream.Aws.S3;

/// <summary>
/// A Delta <see cref="IObjectStore"/> on S3. Put-if-absent is a PUT with <c>If-None-Match: *</c>: S3 answers 412
/// when the key exists (the commit is lost to another writer) and 409 ConditionalRequestConflict when conditional
/// writes to the key race (retried, as the SDK does not retry it). Every call runs through <see cref="AwsRetry"/>.
/// A retried conditional PUT whose first attempt may have landed (its answer was lost) meets 412 from itself: the
/// object is read back, and the same bytes mean this writer won. Objects above <see cref="MultipartThreshold"/> go
/// up in parts (the condition then sits on CompleteMultipartUpload, so a lost race still stores nothing). PUTs
/// replace objects atomically on S3, so readers never see a partial object.
/// </summary>
public sealed class S3ObjectStore : IObjectStore
{
    /// <summary>Objects at least this large are uploaded in parts.</summary>
    public const int MultipartThreshold = 64 * 1024 * 1024;

    /// <summary>The size of one part (S3's minimum is 5 MiB).</summary>
    public const int PartSize = 16 * 1024 * 1024;

    private const int ParallelParts = 4;

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
    public async Task<bool> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var attempts = 0;
        var created = await _retry.RunAsync($"PUT (if absent) {Locate(key)}", async ct =>
        {
            attempts++;
            try
            {
                await UploadAsync(key, content, ifNoneMatch: true, ct).ConfigureAwait(false);
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

    /// <inheritdoc />
    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return _retry.RunAsync($"PUT {Locate(key)}", ct => UploadAsync(key, content, ifNoneMatch: false, ct), cancellationToken);
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

    private async Task UploadAsync(string key, ReadOnlyMemory<byte> content, bool ifNoneMatch, CancellationToken cancellationToken)
    {
        if (content.Length >= MultipartThreshold)
        {
            await UploadInPartsAsync(key, content, ifNoneMatch, cancellationToken).ConfigureAwait(false);
            return;
        }

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

    private async Task UploadInPartsAsync(string key, ReadOnlyMemory<byte> content, bool ifNoneMatch, CancellationToken cancellationToken)
    {
        var s3Key = _root.Key(key);
        var started = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _root.Bucket, Key = s3Key }, cancellationToken).ConfigureAwait(false);
        try
        {
            var count = (content.Length + PartSize - 1) / PartSize;
            var parts = new PartETag[count];
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = ParallelParts, CancellationToken = cancellationToken }, async (index, ct) =>
            {
                var start = index * PartSize;
                var slice = content.Slice(start, Math.Min(PartSize, content.Length - start));
                var answer = await _retry.RunAsync($"PUT part {index + 1}/{count} of {Locate(key)}", async partCt =>
                {
                    using var body = AsStream(slice);
                    return await _s3.UploadPartAsync(new UploadPartRequest
                    {
                        BucketName = _root.Bucket,
                        Key = s3Key,
                        UploadId = started.UploadId,
                        PartNumber = index + 1,
                        InputStream = body,
                        PartSize = slice.Length,
                    }, partCt).ConfigureAwait(false);
                }, ct).ConfigureAwait(false);
                parts[index] = new PartETag(index + 1, answer.ETag);
            }).ConfigureAwait(false);

            var complete = new CompleteMultipartUploadRequest { BucketName = _root.Bucket, Key = s3Key, UploadId = started.UploadId, PartETags = [.. parts] };
            if (ifNoneMatch)
            {
                complete.IfNoneMatch = "*";
            }

            await _s3.CompleteMultipartUploadAsync(complete, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Parts of an unfinished upload are billed until aborted; the bucket's lifecycle rule is the backstop.
            try
            {
                await _s3.AbortMultipartUploadAsync(_root.Bucket, s3Key, started.UploadId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (AmazonServiceException)
            {
            }
            catch (HttpRequestException)
            {
            }

            throw;
        }
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
