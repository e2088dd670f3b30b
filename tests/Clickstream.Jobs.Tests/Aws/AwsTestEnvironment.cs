using Amazon.S3;
using Amazon.S3.Model;
using Clickstream.Aws;
using Clickstream.Jobs.AwsSetup;
using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.Aws;

/// <summary>
/// The AWS emulators for the tests that run the job on S3 and DynamoDB: their endpoints and credentials are put
/// into this process's environment (so in-process commands and child <c>clickstream</c> processes both use them),
/// and each test gets its own bucket and table, created by <c>clickstream aws init</c> itself.
/// </summary>
internal static class AwsTestEnvironment
{
    private static readonly Lazy<EmulatorEndpoints> Endpoints = new(() =>
    {
        var endpoints = Emulators.Get();
        foreach (var (name, value) in endpoints.EnvironmentVariables())
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        return endpoints;
    });

    /// <summary>Makes sure the emulators run and this process points at them.</summary>
    public static EmulatorEndpoints Ensure() => Endpoints.Value;

    /// <summary>A fresh bucket and DynamoDB table for one test.</summary>
    public static async Task<(string Bucket, string Table)> CreateAsync(string prefix)
    {
        Ensure();
        var id = Guid.NewGuid().ToString("N")[..12];
        var bucket = $"{prefix}-{id}";
        var table = $"{prefix}-{id}";
        var output = await JobCommands.RunAsync(new AwsCommand(), "init", "--bucket", bucket, "--table", table);
        Assert.Contains($"bucket s3://{bucket} created", output, StringComparison.Ordinal);
        return (bucket, table);
    }

    /// <summary>An S3 client for the emulator.</summary>
    public static IAmazonS3 S3()
    {
        Ensure();
        return AwsClients.S3(AwsSettings.FromEnvironment());
    }

    /// <summary>Copies every object under <paramref name="prefix"/> to the same relative paths under <paramref name="folder"/>.</summary>
    public static async Task<string> MirrorAsync(string bucket, string prefix, string folder)
    {
        using var s3 = S3();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix.TrimEnd('/') + "/" };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            foreach (var item in page.S3Objects ?? [])
            {
                var path = Path.Combine(folder, item.Key[request.Prefix.Length..]);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using var response = await s3.GetObjectAsync(bucket, item.Key);
                await using var file = File.Create(path);
                await response.ResponseStream.CopyToAsync(file);
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return folder;
    }

    /// <summary>How many objects lie directly under <paramref name="prefix"/> (e.g. a checkpoint's offsets).</summary>
    public static async Task<int> CountAsync(IAmazonS3 s3, string bucket, string prefix)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix.TrimEnd('/') + "/", Delimiter = "/" };
        var count = 0;
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            count += page.S3Objects?.Count ?? 0;
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return count;
    }
}
