using Amazon.DynamoDBv2;
using Clickstream.Aws;
using Clickstream.Aws.DynamoDb;
using Clickstream.Jobs.Streaming;
using AmazonClientException = Amazon.Runtime.AmazonClientException;

namespace Clickstream.Jobs.Store;

/// <summary>
/// Opens the aggregate store a <c>--store</c> option names: a SQLite file, or <c>dynamodb://TABLE</c>. A DynamoDB
/// table is checked first (DescribeTable): a missing table, missing credentials or a wrong region fail here, before
/// any batch runs, with one line naming the location and the cause (<see cref="Aws.AwsLocationException"/>).
/// </summary>
internal static class AggregateStores
{
    /// <summary>
    /// Write shards of the metrics with many keys per window. top_products has up to one row per product per window
    /// (5,000 in the generated shop), rewritten by every batch that views the product: 8 keys keep each partition key
    /// far under DynamoDB's 1,000 writes/s per partition at 50,000 events/s (docs/performance.md).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int> WriteShards = new Dictionary<string, int>(StringComparer.Ordinal) { [Metric.TopProducts] = 8 };

    /// <summary>Whether <paramref name="location"/> names a DynamoDB table.</summary>
    public static bool IsDynamoDb(string location) => location.StartsWith(StoreLocation.DynamoDbScheme, StringComparison.Ordinal);

    /// <summary>
    /// Opens the store at <paramref name="location"/>. A read-only SQLite store must exist
    /// (<see cref="FileNotFoundException"/>); a writable one is created. A DynamoDB table must exist either way.
    /// </summary>
    /// <param name="location">A file path or <c>dynamodb://TABLE[?ttl=24h&amp;writers=16]</c>.</param>
    /// <param name="readOnly">Open for reading only.</param>
    /// <param name="settings">The AWS settings; null = the process environment's (<see cref="AwsSettings.FromEnvironment"/>).</param>
    /// <param name="time">The clock of retries; null = the system clock.</param>
    /// <param name="option">The option the location came from, for messages.</param>
    /// <param name="cancellationToken">Cancels the start-up probe.</param>
    public static IAggregateStore Open(
        string location, bool readOnly, AwsSettings? settings = null, TimeProvider? time = null, string option = "--store", CancellationToken cancellationToken = default)
    {
        var parsed = StoreLocation.Parse(location, option);
        if (!parsed.IsDynamoDb)
        {
            return new SqliteAggregateStore(parsed.Path!, readOnly);
        }

        settings ??= AwsSettings.FromEnvironment();
        IAmazonDynamoDB client;
        try
        {
            client = AwsClients.DynamoDb(settings);
        }
        catch (AmazonClientException e)
        {
            // Building a client fails without a region (or with a malformed profile).
            throw new AwsLocationException($"{option} {parsed.Text}: {AwsErrors.Describe(e)} (set AWS_REGION, AWS_PROFILE or AWS_ENDPOINT_URL_DYNAMODB)", e);
        }

        try
        {
            DynamoTableProbe.CheckAsync(client, parsed.Table!, option, cancellationToken).GetAwaiter().GetResult();
            var store = DynamoAggregateStore.Open(client, DynamoOptions(parsed, settings.RetryDeadline), time ?? TimeProvider.System);
            return new DynamoDbAggregateStore(store, parsed.Text, client, readOnly);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The DynamoDB store's settings for the job's windows and metrics.</summary>
    public static DynamoStoreOptions DynamoOptions(StoreLocation location, TimeSpan retryDeadline)
    {
        ArgumentNullException.ThrowIfNull(location);
        var options = new DynamoStoreOptions
        {
            Table = location.Table ?? throw new ArgumentException($"{location} is not a DynamoDB location", nameof(location)),
            WindowMicros = ClickstreamJob.Window.WindowMicros,
            WriteShards = WriteShards,
            RetryDeadline = retryDeadline,
        };
        if (location.Retention is { } retention)
        {
            options = options with { RowRetention = retention };
        }

        if (location.Writers is { } writers)
        {
            options = options with { MaxConcurrentWrites = writers };
        }

        return options;
    }
}
