using Amazon;
using Amazon.Runtime;

namespace Clickstream.Aws;

/// <summary>
/// Where and as whom the AWS clients connect, from the standard places only: the region from
/// <c>AWS_REGION</c> / <c>AWS_DEFAULT_REGION</c> / the profile (the SDK's fallback chain), credentials from the
/// SDK's default chain (environment, profile, SSO, container and instance roles), and endpoint overrides from
/// <c>AWS_ENDPOINT_URL_S3</c>, <c>AWS_ENDPOINT_URL_DYNAMODB</c>, <c>AWS_ENDPOINT_URL_KINESIS</c> or <c>AWS_ENDPOINT_URL</c> (as the AWS CLI reads them;
/// <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c> turns them off). An overridden endpoint (an emulator, a VPC
/// endpoint, MinIO) is addressed path-style.
/// </summary>
public sealed record AwsSettings
{
    /// <summary>The region, or null to let the SDK find it (and fail with its own message when it cannot).</summary>
    public RegionEndpoint? Region { get; init; }

    /// <summary>An S3 endpoint override, or null for AWS's own.</summary>
    public Uri? S3Endpoint { get; init; }

    /// <summary>A DynamoDB endpoint override, or null for AWS's own.</summary>
    public Uri? DynamoDbEndpoint { get; init; }

    /// <summary>A Kinesis endpoint override, or null for AWS's own.</summary>
    public Uri? KinesisEndpoint { get; init; }

    /// <summary>Explicit credentials (tests); null = the SDK's default credential chain.</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>How long one logical call may keep retrying throttling, 5xx and timeouts before it fails.</summary>
    public TimeSpan RetryDeadline { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The settings of the current process environment.</summary>
    public static AwsSettings FromEnvironment() => FromVariables(Environment.GetEnvironmentVariable);

    /// <summary>The settings that a set of environment variables gives (<paramref name="get"/> returns null when unset).</summary>
    public static AwsSettings FromVariables(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        var ignoreEndpoints = string.Equals(get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase);
        var region = NonEmpty(get("AWS_REGION")) ?? NonEmpty(get("AWS_DEFAULT_REGION"));
        return new AwsSettings
        {
            Region = region is null ? null : RegionEndpoint.GetBySystemName(region),
            S3Endpoint = ignoreEndpoints ? null : Endpoint("AWS_ENDPOINT_URL_S3", get) ?? Endpoint("AWS_ENDPOINT_URL", get),
            DynamoDbEndpoint = ignoreEndpoints ? null : Endpoint("AWS_ENDPOINT_URL_DYNAMODB", get) ?? Endpoint("AWS_ENDPOINT_URL", get),
            KinesisEndpoint = ignoreEndpoints ? null : Endpoint("AWS_ENDPOINT_URL_KINESIS", get) ?? Endpoint("AWS_ENDPOINT_URL", get),
        };
    }

    private static Uri? Endpoint(string name, Func<string, string?> get)
    {
        if (NonEmpty(get(name)) is not { } text)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new AwsLocationException($"{name}={text} is not an http:// or https:// URL");
        }

        return uri;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
