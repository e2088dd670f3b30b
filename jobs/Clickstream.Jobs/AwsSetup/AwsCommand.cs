using Amazon.S3;
using Amazon.S3.Model;
using Clickstream.Aws;
using Clickstream.Aws.DynamoDb;
using Clickstream.Aws.Kinesis;
using Clickstream.Aws.S3;
using Clickstream.Jobs.Cli;
using Clickstream.Jobs.Locations;

namespace Clickstream.Jobs.AwsSetup;

/// <summary>
/// <c>clickstream aws init</c>: creates the S3 bucket and the DynamoDB aggregate table the pipeline needs, for
/// emulators and first runs (production creates them with infrastructure as code). Idempotent: what exists is
/// kept and reported.
/// </summary>
internal sealed class AwsCommand : ICommand
{
    public string Name => "aws";

    public string Summary => "create the S3 bucket, the DynamoDB aggregate table and the Kinesis stream (emulators and first runs)";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string>(StringComparer.Ordinal);

    public string Usage => """
        usage: clickstream aws init [--bucket BUCKET] [--table TABLE] [--stream STREAM [--shards N]]

        Creates what the pipeline's S3, DynamoDB and Kinesis locations need, with the standard AWS settings
        (AWS_REGION, AWS_PROFILE or the default credential chain, AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_DYNAMODB /
        AWS_ENDPOINT_URL_KINESIS for emulators). What already exists is kept. Production creates these with
        infrastructure as code instead.

          --bucket BUCKET   an S3 bucket for the lake and checkpoints (s3://BUCKET/...), in the configured region
          --table TABLE     a DynamoDB aggregate table (dynamodb://TABLE): on-demand capacity, partition key pk
                            ({metric}#{window_start}), sort key sk (the dimension), TTL enabled
          --stream STREAM   a Kinesis data stream (kinesis://STREAM), provisioned, waited for until ACTIVE
          --shards N        its shard count (default 4; 1 MB/s or 1,000 records/s in per shard)
        """;

    public async Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var action = args.Positional(0) ?? throw new UsageException("name an action: init");
        if (action != "init")
        {
            throw new UsageException($"unknown action '{action}': init");
        }

        var bucket = args.String("bucket");
        var table = args.String("table");
        var stream = args.String("stream");
        var shards = (int)args.Long("shards", 4, min: 1, max: 10_000);
        args.EnsureAllUsed();
        if (bucket is null && table is null && stream is null)
        {
            throw new UsageException("name what to create: --bucket BUCKET, --table TABLE and/or --stream STREAM");
        }

        if (stream is not null && !KinesisNames.IsValidStreamName(stream))
        {
            throw new UsageException($"--stream {stream}: {KinesisNames.StreamNameRule}");
        }

        using var aws = new AwsContext();
        if (bucket is not null)
        {
            var location = S3Uri.Parse("s3://" + bucket);
            var created = await CreateBucketAsync(aws.S3("s3://" + bucket), location.Bucket, aws, cancellationToken);
            await output.WriteLineAsync($"aws init: bucket s3://{location.Bucket} {(created ? "created" : "already exists")}");
        }

        if (table is not null)
        {
            var name = "dynamodb://" + table;
            var client = aws.DynamoDb(name);
            await aws.NewRetry().RunAsync($"create table {name}", ct => DynamoAggregateStore.CreateTableAsync(client, table, ct), cancellationToken);
            await output.WriteLineAsync($"aws init: table {name} ready (on-demand, TTL on)");
        }

        if (stream is not null)
        {
            var name = "kinesis://" + stream;
            var kinesis = aws.Kinesis(name);
            var created = await kinesis.CreateStreamAsync(stream, shards, cancellationToken);
            var summary = await kinesis.WaitUntilActiveAsync(stream, TimeSpan.FromMinutes(5), cancellationToken);
            await output.WriteLineAsync(created
                ? $"aws init: stream {name} created ({summary.OpenShardCount} shards, {summary.RetentionHours} h retention)"
                : $"aws init: stream {name} already exists ({summary.OpenShardCount} open shards, {summary.RetentionHours} h retention)");
        }

        return 0;
    }

    private static async Task<bool> CreateBucketAsync(IAmazonS3 s3, string bucket, AwsContext aws, CancellationToken cancellationToken)
    {
        var region = aws.Settings.Region?.SystemName;
        var request = new PutBucketRequest { BucketName = bucket };

        // us-east-1 is the one region that takes no location constraint.
        if (region is not null and not "us-east-1" && aws.Settings.S3Endpoint is null)
        {
            request.BucketRegion = region;
        }

        try
        {
            await aws.NewRetry().RunAsync($"create bucket s3://{bucket}", ct => s3.PutBucketAsync(request, ct), cancellationToken);
            return true;
        }
        catch (AwsCallException e) when (e.InnerException is AmazonS3Exception { ErrorCode: "BucketAlreadyOwnedByYou" or "BucketAlreadyExists" } s3e)
        {
            // "Already exists" is also what some S3-compatible servers say to the bucket's own owner: a bucket this
            // identity can list is ours to use.
            if (s3e.ErrorCode == "BucketAlreadyExists")
            {
                try
                {
                    await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1 }, cancellationToken);
                }
                catch (AmazonS3Exception)
                {
                    throw new AwsLocationException($"s3://{bucket}: the bucket name is taken by another account (bucket names are global); choose another", e);
                }
            }

            return false;
        }
    }
}
