using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// Creates the aggregate table: on-demand capacity (PAY_PER_REQUEST), partition key <c>pk</c> and sort key <c>sk</c>
/// (strings), TTL on <c>ttl</c>. Idempotent: an existing table with the same keys is kept (and gets its TTL turned
/// on if it is off); one with other keys is an error. Returns once the table is ACTIVE.
/// </summary>
internal static class DynamoTableSetup
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ActiveTimeout = TimeSpan.FromMinutes(5);

    public static async Task CreateAsync(IAmazonDynamoDB client, string table, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(table);
        try
        {
            await client.CreateTableAsync(
                new CreateTableRequest
                {
                    TableName = table,
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                    AttributeDefinitions =
                    [
                        new AttributeDefinition { AttributeName = DynamoKeys.PartitionKey, AttributeType = ScalarAttributeType.S },
                        new AttributeDefinition { AttributeName = DynamoKeys.SortKey, AttributeType = ScalarAttributeType.S },
                    ],
                    KeySchema =
                    [
                        new KeySchemaElement { AttributeName = DynamoKeys.PartitionKey, KeyType = KeyType.HASH },
                        new KeySchemaElement { AttributeName = DynamoKeys.SortKey, KeyType = KeyType.RANGE },
                    ],
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceInUseException)
        {
            // Exists already (or is being created): checked below.
        }

        var description = await WaitActiveAsync(client, table, time, cancellationToken).ConfigureAwait(false);
        DynamoTableProbe.CheckKeys($"dynamodb://{table}", description);

        var ttl = await client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = table }, cancellationToken).ConfigureAwait(false);
        var status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
        if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING)
        {
            if (ttl.TimeToLiveDescription!.AttributeName != DynamoKeys.Ttl)
            {
                throw new AwsLocationException($"dynamodb://{table}: TTL is on attribute '{ttl.TimeToLiveDescription.AttributeName}', the aggregate store expires rows by '{DynamoKeys.Ttl}'");
            }

            return;
        }

        await client.UpdateTimeToLiveAsync(
            new UpdateTimeToLiveRequest { TableName = table, TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = DynamoKeys.Ttl, Enabled = true } },
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<TableDescription> WaitActiveAsync(IAmazonDynamoDB client, string table, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var table1 = (await client.DescribeTableAsync(new DescribeTableRequest { TableName = table }, cancellationToken).ConfigureAwait(false)).Table;
            if (table1.TableStatus == TableStatus.ACTIVE)
            {
                return table1;
            }

            if (time.GetElapsedTime(started) > ActiveTimeout)
            {
                throw new AwsLocationException($"dynamodb://{table}: the table is still {table1.TableStatus} after {ActiveTimeout.TotalMinutes:F0} minutes");
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
