using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Clickstream.Aws.Leases;

/// <summary>
/// The DynamoDB table through which workers share a stream's shards. Every change is a conditional write on the
/// lease's counter (and owner), so two workers can never both believe they took or kept the same lease: the one
/// whose condition fails learns it lost.
/// </summary>
public sealed class LeaseTable
{
    private const string Key = "leaseKey";
    private const string OwnerAttribute = "leaseOwner";
    private const string CounterAttribute = "leaseCounter";
    private const string SwitchesAttribute = "ownerSwitchesSinceCheckpoint";
    private const string ParentsAttribute = "parentShardId";
    private const string CheckpointAttribute = "checkpoint";

    private readonly IAmazonDynamoDB _client;
    private readonly AwsRetry _retry;

    public LeaseTable(IAmazonDynamoDB client, string name, AwsRetry retry)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(retry);
        _client = client;
        Name = name;
        _retry = retry;
    }

    /// <summary>The table's name.</summary>
    public string Name { get; }

    /// <summary>Creates the table (hash key <c>leaseKey</c>, on-demand) unless it exists, and waits until it is active.</summary>
    public async Task CreateIfAbsentAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _retry.RunAsync($"create lease table {Name}", ct => _client.CreateTableAsync(new CreateTableRequest
            {
                TableName = Name,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                AttributeDefinitions = [new AttributeDefinition { AttributeName = Key, AttributeType = ScalarAttributeType.S }],
                KeySchema = [new KeySchemaElement { AttributeName = Key, KeyType = KeyType.HASH }],
            }, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCallException e) when (e.InnerException is ResourceInUseException)
        {
            // There already.
        }

        for (var i = 0; ; i++)
        {
            var table = await _retry.RunAsync($"describe lease table {Name}", ct => _client.DescribeTableAsync(Name, ct), cancellationToken).ConfigureAwait(false);
            if (table.Table.TableStatus == TableStatus.ACTIVE)
            {
                return;
            }

            await Task.Delay(Math.Min(1000, 50 * (i + 1)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every lease, read consistently.</summary>
    public async Task<IReadOnlyList<ShardLease>> ListAsync(CancellationToken cancellationToken = default)
    {
        var leases = new List<ShardLease>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var request = new ScanRequest { TableName = Name, ConsistentRead = true, ExclusiveStartKey = start };
            var page = await _retry.RunAsync($"scan lease table {Name}", ct => _client.ScanAsync(request, ct), cancellationToken).ConfigureAwait(false);
            leases.AddRange((page.Items ?? []).Select(Read));
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return leases;
    }

    /// <summary>Creates a free lease for a shard unless one exists; true when created.</summary>
    public Task<bool> CreateIfAbsentAsync(string shardId, IEnumerable<string> parents, CancellationToken cancellationToken = default)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Key] = new(shardId),
            [CounterAttribute] = new() { N = "0" },
            [SwitchesAttribute] = new() { N = "0" },
            [CheckpointAttribute] = new(ShardLease.TrimHorizon),
        };
        var parentList = parents.ToList();
        if (parentList.Count > 0)
        {
            item[ParentsAttribute] = new() { SS = parentList };
        }

        return ConditionalAsync($"create the lease of {shardId}", ct => _client.PutItemAsync(new PutItemRequest
        {
            TableName = Name,
            Item = item,
            ConditionExpression = "attribute_not_exists(#k)",
            ExpressionAttributeNames = new() { ["#k"] = Key },
        }, ct), cancellationToken);
    }

    /// <summary>Raises the counter of a lease <paramref name="lease"/>'s owner still holds; false when it was lost.</summary>
    public Task<bool> RenewAsync(ShardLease lease, CancellationToken cancellationToken = default) =>
        ConditionalAsync($"renew the lease of {lease.LeaseKey}", ct => _client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Name,
            Key = KeyOf(lease),
            UpdateExpression = "SET #c = #c + :one",
            ConditionExpression = "#o = :owner AND #c = :counter",
            ExpressionAttributeNames = new() { ["#c"] = CounterAttribute, ["#o"] = OwnerAttribute },
            ExpressionAttributeValues = new() { [":one"] = new() { N = "1" }, [":owner"] = new(lease.Owner), [":counter"] = Number(lease.Counter) },
        }, ct), cancellationToken);

    /// <summary>
    /// Takes <paramref name="lease"/> (free, expired, or stolen) for <paramref name="owner"/>, if nobody changed it
    /// since it was read; false when somebody did.
    /// </summary>
    public Task<bool> TakeAsync(ShardLease lease, string owner, CancellationToken cancellationToken = default)
    {
        var names = new Dictionary<string, string> { ["#c"] = CounterAttribute, ["#o"] = OwnerAttribute, ["#s"] = SwitchesAttribute };
        var values = new Dictionary<string, AttributeValue> { [":one"] = new() { N = "1" }, [":me"] = new(owner), [":counter"] = Number(lease.Counter) };
        string condition;
        if (lease.Owner is null)
        {
            condition = "#c = :counter AND attribute_not_exists(#o)";
        }
        else
        {
            condition = "#c = :counter AND #o = :previous";
            values[":previous"] = new(lease.Owner);
        }

        return ConditionalAsync($"take the lease of {lease.LeaseKey}", ct => _client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Name,
            Key = KeyOf(lease),
            UpdateExpression = "SET #o = :me, #c = #c + :one, #s = #s + :one",
            ConditionExpression = condition,
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        }, ct), cancellationToken);
    }

    /// <summary>Gives up a lease this owner holds (graceful stop), so another worker takes it at once.</summary>
    public Task<bool> ReleaseAsync(ShardLease lease, CancellationToken cancellationToken = default) =>
        ConditionalAsync($"release the lease of {lease.LeaseKey}", ct => _client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Name,
            Key = KeyOf(lease),
            UpdateExpression = "REMOVE #o SET #c = #c + :one",
            ConditionExpression = "#o = :owner AND #c = :counter",
            ExpressionAttributeNames = new() { ["#c"] = CounterAttribute, ["#o"] = OwnerAttribute },
            ExpressionAttributeValues = new() { [":one"] = new() { N = "1" }, [":owner"] = new(lease.Owner), [":counter"] = Number(lease.Counter) },
        }, ct), cancellationToken);

    /// <summary>Records that the shard was read to its end and frees the lease; false when the lease was lost first.</summary>
    public Task<bool> MarkDoneAsync(ShardLease lease, CancellationToken cancellationToken = default) =>
        ConditionalAsync($"mark {lease.LeaseKey} read to its end", ct => _client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Name,
            Key = KeyOf(lease),
            UpdateExpression = "REMOVE #o SET #c = #c + :one, #cp = :end, #s = :zero",
            ConditionExpression = "#o = :owner AND #c = :counter",
            ExpressionAttributeNames = new() { ["#c"] = CounterAttribute, ["#o"] = OwnerAttribute, ["#cp"] = CheckpointAttribute, ["#s"] = SwitchesAttribute },
            ExpressionAttributeValues = new()
            {
                [":one"] = new() { N = "1" },
                [":zero"] = new() { N = "0" },
                [":owner"] = new(lease.Owner),
                [":counter"] = Number(lease.Counter),
                [":end"] = new(ShardLease.ShardEnd),
            },
        }, ct), cancellationToken);

    private async Task<bool> ConditionalAsync(string what, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await _retry.RunAsync($"{what} in {Name}", call, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AwsCallException e) when (e.InnerException is ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private static Dictionary<string, AttributeValue> KeyOf(ShardLease lease) => new() { [Key] = new(lease.LeaseKey) };

    private static AttributeValue Number(long value) => new() { N = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static ShardLease Read(Dictionary<string, AttributeValue> item) => new(
        item[Key].S,
        item.TryGetValue(OwnerAttribute, out var owner) ? owner.S : null,
        long.Parse(item[CounterAttribute].N, System.Globalization.CultureInfo.InvariantCulture),
        item.TryGetValue(SwitchesAttribute, out var switches) ? long.Parse(switches.N, System.Globalization.CultureInfo.InvariantCulture) : 0,
        item.TryGetValue(ParentsAttribute, out var parents) && parents.SS is { } list ? [.. list.Order(StringComparer.Ordinal)] : [],
        item.TryGetValue(CheckpointAttribute, out var checkpoint) ? checkpoint.S : ShardLease.TrimHorizon);
}

/// <summary>Keeping a lease table's leases in step with a Kinesis stream's shards.</summary>
public static class LeaseSync
{
    /// <summary>Creates a lease for every shard of <paramref name="stream"/> that has none (with its parents); returns how many were created.</summary>
    public static async Task<int> SyncAsync(LeaseTable table, Kinesis.KinesisClient kinesis, string stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(kinesis);
        var created = 0;
        foreach (var shard in await kinesis.ListShardsAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            if (await table.CreateIfAbsentAsync(shard.ShardId, shard.Parents, cancellationToken).ConfigureAwait(false))
            {
                created++;
            }
        }

        return created;
    }
}
