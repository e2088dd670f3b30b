using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// Checks at start that a <c>dynamodb://TABLE</c> location can be used, so that a typo, a missing table, missing
/// credentials or a wrong region fail before any batch runs, with one line naming the location and the cause. One
/// DescribeTable call (the SDK's own retries only: a probe answers quickly rather than waiting out an outage).
/// </summary>
internal static class DynamoTableProbe
{
    /// <summary>Throws <see cref="AwsLocationException"/> when the table cannot be used.</summary>
    /// <param name="client">The client, as configured for the job.</param>
    /// <param name="table">The table name.</param>
    /// <param name="role">The option the location came from (e.g. <c>--store</c>), for the message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task CheckAsync(IAmazonDynamoDB client, string table, string role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var location = $"{role} dynamodb://{table}";
        TableDescription description;
        try
        {
            description = (await client.DescribeTableAsync(new DescribeTableRequest { TableName = table }, cancellationToken).ConfigureAwait(false)).Table;
        }
        catch (ResourceNotFoundException e)
        {
            throw new AwsLocationException(
                $"{location}: the table {table} does not exist in {Region(client)} (create it with `clickstream aws init --table {table}`, or set AWS_REGION to the table's region)", e);
        }
        catch (AmazonDynamoDBException e) when (e.ErrorCode is "UnrecognizedClientException" or "InvalidSignatureException" or "ExpiredTokenException" or "IncompleteSignatureException")
        {
            throw new AwsLocationException($"{location}: the AWS credentials were refused in {Region(client)} ({AwsErrors.Describe(e)})", e);
        }
        catch (AmazonDynamoDBException e) when (e.ErrorCode is "AccessDeniedException" || e.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new AwsLocationException(
                $"{location}: access denied ({AwsErrors.Describe(e)}); the job needs dynamodb:DescribeTable, BatchWriteItem, UpdateItem, PutItem, GetItem, Query and Scan on it", e);
        }
        catch (AmazonServiceException e)
        {
            throw new AwsLocationException($"{location}: {AwsErrors.Describe(e)}", e);
        }
        catch (AmazonClientException e)
        {
            throw new AwsLocationException($"{location}: {Cause(e)}", e);
        }
        catch (HttpRequestException e)
        {
            throw new AwsLocationException($"{location}: the DynamoDB endpoint cannot be reached ({e.Message})", e);
        }

        CheckKeys(location, description);
        if (description.TableStatus != TableStatus.ACTIVE && description.TableStatus != TableStatus.UPDATING)
        {
            throw new AwsLocationException($"{location}: the table is {description.TableStatus}, not ACTIVE");
        }
    }

    /// <summary>Fails unless the table's keys are the aggregate layout's (pk and sk, both strings).</summary>
    internal static void CheckKeys(string location, TableDescription description)
    {
        string? hash = null, range = null;
        foreach (var key in description.KeySchema ?? [])
        {
            if (key.KeyType == KeyType.HASH)
            {
                hash = key.AttributeName;
            }
            else if (key.KeyType == KeyType.RANGE)
            {
                range = key.AttributeName;
            }
        }

        if (hash != DynamoKeys.PartitionKey || range != DynamoKeys.SortKey)
        {
            throw new AwsLocationException(
                $"{location}: the table's keys are ({hash ?? "none"}, {range ?? "none"}); an aggregate table has partition key {DynamoKeys.PartitionKey} and sort key {DynamoKeys.SortKey} (create one with `clickstream aws init --table NAME`)");
        }
    }

    // Client-side failures: missing credentials and region are the usual ones.
    private static string Cause(AmazonClientException e)
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

        return e.InnerException is HttpRequestException or System.Net.Sockets.SocketException ? $"the DynamoDB endpoint cannot be reached: {message}" : message;
    }

    private static string Region(IAmazonDynamoDB client) =>
        client.Config.ServiceURL is { Length: > 0 } url ? url.TrimEnd('/') : "region " + (client.Config.RegionEndpoint?.SystemName ?? client.Config.AuthenticationRegion ?? "(default)");
}
