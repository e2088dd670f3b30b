using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Clickstream.Aws.S3;

namespace Clickstream.Aws.Locations;

/// <summary>
/// Checks at start that an <c>s3://</c> location can be used, so a typo or a missing grant fails before any batch
/// runs with one line naming the location and the cause (no such bucket, access denied, wrong region, no
/// credentials, endpoint unreachable). It lists one key under the prefix: the job needs list, read and write on
/// the prefix, and listing is the one read that works on an empty prefix.
/// </summary>
public static class S3LocationProbe
{
    /// <summary>Throws <see cref="AwsLocationException"/> when <paramref name="location"/> cannot be used.</summary>
    public static async Task CheckAsync(IAmazonS3 client, S3Uri location, string role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(location);
        try
        {
            await client.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.Prefix.Length == 0 ? null : location.Prefix + "/", MaxKeys = 1 },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket" || e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new AwsLocationException($"{role} {location}: the bucket {location.Bucket} does not exist (create it with `clickstream aws init --bucket {location.Bucket}` or infrastructure as code)", e);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "PermanentRedirect" or "AuthorizationHeaderMalformed" or "IllegalLocationConstraintException" || e.StatusCode == HttpStatusCode.MovedPermanently)
        {
            throw new AwsLocationException($"{role} {location}: the bucket is in another region than {client.Config.RegionEndpoint?.SystemName ?? client.Config.AuthenticationRegion ?? "the configured one"} (set AWS_REGION to the bucket's region): {AwsErrors.Describe(e)}", e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new AwsLocationException($"{role} {location}: access denied ({AwsErrors.Describe(e)}); the job needs s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on it", e);
        }
        catch (AmazonServiceException e)
        {
            throw new AwsLocationException($"{role} {location}: {AwsErrors.Describe(e)}", e);
        }
        catch (AmazonClientException e)
        {
            throw new AwsLocationException($"{role} {location}: {Cause(e)}", e);
        }
        catch (HttpRequestException e)
        {
            throw new AwsLocationException($"{role} {location}: the S3 endpoint cannot be reached ({e.Message})", e);
        }
    }

    /// <summary>The cause of a client-side failure in words: missing credentials and region are the usual ones.</summary>
    internal static string Cause(AmazonClientException e)
    {
        var message = AwsErrors.Describe(e);
        if (message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
        {
            return $"no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run with an IAM role): {message}";
        }

        if (message.Contains("region", StringComparison.OrdinalIgnoreCase))
        {
            return $"no AWS region configured (set AWS_REGION): {message}";
        }

        return e.InnerException is HttpRequestException or System.Net.Sockets.SocketException
            ? $"the endpoint cannot be reached: {message}"
            : message;
    }
}
