using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Clickstream.Aws;
using Clickstream.Aws.Kinesis;
using Clickstream.Aws.Locations;

namespace Clickstream.Jobs.Locations;

/// <summary>
/// The AWS clients of one command, created on first use from the standard settings (<see cref="AwsSettings"/>), so
/// a command on local paths never touches AWS configuration. Disposes what it created.
/// </summary>
internal sealed class AwsContext : IDisposable
{
    private readonly Lazy<AwsSettings> _settings;
    private IAmazonS3? _s3;
    private IAmazonDynamoDB? _dynamoDb;
    private KinesisClient? _kinesis;

    public AwsContext(AwsSettings? settings = null, TimeProvider? time = null)
    {
        _settings = new Lazy<AwsSettings>(() => settings ?? AwsSettings.FromEnvironment());
        Time = time ?? TimeProvider.System;
    }

    public TimeProvider Time { get; }

    public AwsSettings Settings => _settings.Value;

    public AwsRetry NewRetry() => new(Time, Settings.RetryDeadline);

    public IAmazonS3 S3(string location) => _s3 ??= Create(location, () => AwsClients.S3(Settings));

    public IAmazonDynamoDB DynamoDb(string location) => _dynamoDb ??= Create(location, () => AwsClients.DynamoDb(Settings));

    public KinesisClient Kinesis(string location) => _kinesis ??= Create(location, () => new KinesisClient(Settings, NewRetry()));

    public void Dispose()
    {
        _s3?.Dispose();
        _dynamoDb?.Dispose();
        _kinesis?.Dispose();
    }

    // Building a client fails without a region (and with a malformed profile): say which location needed it.
    private static T Create<T>(string location, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (AmazonClientException e)
        {
            throw new AwsLocationException($"{location}: {S3LocationProbe.Cause(e)}", e);
        }
    }
}
