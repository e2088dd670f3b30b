using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;

namespace Clickstream.Aws;

/// <summary>Creates the SDK clients for <see cref="AwsSettings"/>.</summary>
public static class AwsClients
{
    /// <summary>An S3 client: path-style against an overridden endpoint; checksums only where S3 requires them.</summary>
    public static IAmazonS3 S3(AwsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = new AmazonS3Config
        {
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromSeconds(60),
        };
        Apply(config, settings, settings.S3Endpoint);
        if (settings.S3Endpoint is not null)
        {
            config.ForcePathStyle = true;
        }

        return settings.Credentials is { } c ? new AmazonS3Client(c, config) : new AmazonS3Client(config);
    }

    /// <summary>A DynamoDB client.</summary>
    public static IAmazonDynamoDB DynamoDb(AwsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = new AmazonDynamoDBConfig { Timeout = TimeSpan.FromSeconds(30) };
        Apply(config, settings, settings.DynamoDbEndpoint);
        return settings.Credentials is { } c ? new AmazonDynamoDBClient(c, config) : new AmazonDynamoDBClient(config);
    }

    private static void Apply(ClientConfig config, AwsSettings settings, Uri? endpoint)
    {
        config.MaxErrorRetry = 3;
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = settings.Region?.SystemName ?? "us-east-1";
        }
        else if (settings.Region is { } region)
        {
            config.RegionEndpoint = region;
        }
    }
}
