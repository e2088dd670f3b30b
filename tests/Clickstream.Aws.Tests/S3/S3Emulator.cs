using Amazon.S3;
using Clickstream.Aws.S3;

namespace Clickstream.Aws.Tests.S3;

/// <summary>s3rver-plus for the S3 tests: a client, one bucket per test process, and a fresh prefix per store.</summary>
internal static class S3Emulator
{
    private static readonly Lazy<string> LazyBucket = new(() =>
    {
        var bucket = "aws-tests-" + Guid.NewGuid().ToString("N")[..12];
        using var s3 = Client();
        s3.PutBucketAsync(bucket).GetAwaiter().GetResult();
        return bucket;
    });

    public static EmulatorEndpoints Endpoints
    {
        get
        {
            var endpoints = Emulators.Get();
            foreach (var (name, value) in endpoints.EnvironmentVariables())
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            return endpoints;
        }
    }

    public static string Bucket => LazyBucket.Value;

    public static IAmazonS3 Client()
    {
        _ = Endpoints;
        return AwsClients.S3(AwsSettings.FromEnvironment());
    }

    public static AwsRetry Retry() => new(TimeProvider.System, TimeSpan.FromSeconds(30));

    /// <summary>A store on a fresh prefix (under <paramref name="parent"/> when given).</summary>
    public static S3ObjectStore Store(IAmazonS3 client, string? parent = null) =>
        new(client, S3Uri.Parse($"s3://{Bucket}/{parent}t-{Guid.NewGuid():N}"), Retry());
}
