using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static Clickstream.Aws.DynamoDb.DynamoKeys;

namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// <see cref="IAggregateTable"/> over the SDK client: one request per call, the item layout of
/// <see cref="DynamoKeys"/>. Reads are strongly consistent, so a reader that saw a batch's metadata item also sees
/// every row written before it (the store writes that item last).
/// </summary>
internal sealed class DynamoAggregateTable(IAmazonDynamoDB client, string table, long windowMicros) : IAggregateTable
{
    // Newer batch only: the row has never seen this query, or saw an older batch of it.
    private const string NewerCondition = "attribute_not_exists(#b) OR #b < :b";

    public string Name => table;

    public async Task<IReadOnlyList<AggregateWrite>> PutBatchAsync(IReadOnlyList<AggregateWrite> writes, CancellationToken cancellationToken)
    {
        var requests = new List<WriteRequest>(writes.Count);
        foreach (var write in writes)
        {
            requests.Add(new WriteRequest { PutRequest = new PutRequest { Item = Item(write) } });
        }

        var response = await client.BatchWriteItemAsync(
            new BatchWriteItemRequest { RequestItems = new Dictionary<string, List<WriteRequest>> { [table] = requests } },
            cancellationToken).ConfigureAwait(false);
        if (response.UnprocessedItems is not { Count: > 0 } unprocessed || !unprocessed.TryGetValue(table, out var left) || left is not { Count: > 0 })
        {
            return [];
        }

        // Map the unprocessed items back to the writes by their keys.
        var byKey = new Dictionary<(string, string), AggregateWrite>(writes.Count);
        foreach (var write in writes)
        {
            byKey[(write.Partition, write.Sort)] = write;
        }

        var result = new List<AggregateWrite>(left.Count);
        foreach (var request in left)
        {
            var item = request.PutRequest.Item;
            result.Add(byKey[(item[PartitionKey].S, item[DynamoKeys.SortKey].S)]);
        }

        return result;
    }

    public async Task<bool> UpdateIfNewerAsync(AggregateWrite write, CancellationToken cancellationToken)
    {
        var row = write.Row;
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [":b"] = Number(write.BatchId),
            [":ws"] = Number(row.WindowStartMicros),
            [":we"] = Number(row.WindowEndMicros),
            [":v"] = Number(row.Value),
            [":t"] = Number(write.TtlSeconds),
        };
        var set = "SET #b = :b, #ws = :ws, #we = :we, #t = :t";
        var names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["#b"] = BatchAttribute(write.QueryId),
            ["#ws"] = WindowStart,
            ["#we"] = WindowEnd,
            ["#t"] = Ttl,
            ["#v"] = Value,
        };
        if (row.Sketch is { } sketch)
        {
            set += ", #h = :h";
            names["#h"] = Sketch;
            values[":h"] = new AttributeValue { B = new MemoryStream(sketch, writable: false) };
        }

        if (write.Hashed)
        {
            set += ", #k = :k";
            names["#k"] = FullKey;
            values[":k"] = new AttributeValue { S = row.Key };
        }

        var request = new UpdateItemRequest
        {
            TableName = table,
            Key = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
            {
                [PartitionKey] = new AttributeValue { S = write.Partition },
                [DynamoKeys.SortKey] = new AttributeValue { S = write.Sort },
            },
            UpdateExpression = row.Additive ? set + " ADD #v :v" : set + ", #v = :v",
            ConditionExpression = NewerCondition,
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        };
        try
        {
            await client.UpdateItemAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async Task<bool> PutMetaIfNewerAsync(DynamoQueryMeta meta, CancellationToken cancellationToken)
    {
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [PartitionKey] = new AttributeValue { S = MetaPartition },
            [DynamoKeys.SortKey] = new AttributeValue { S = meta.QueryId },
            [MetaVersion] = Number(FormatVersion),
            [LastBatch] = Number(meta.LastBatchId),
            [CommittedAt] = new AttributeValue { S = meta.CommittedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) },
        };
        AddNumber(item, NewestEnd, meta.NewestWindowEndMicros);
        AddNumber(item, OldestStart, meta.OldestWindowStartMicros);
        AddNumber(item, MaxEnd, meta.MaxWindowEndMicros);
        AddNumber(item, Watermark, meta.WatermarkMicros);
        if (meta.Recent.Count > 0)
        {
            var recent = new List<AttributeValue>(meta.Recent.Count);
            foreach (var touch in meta.Recent)
            {
                recent.Add(new AttributeValue { S = touch.Encode(windowMicros) });
            }

            item[Recent] = new AttributeValue { L = recent };
        }

        if (meta.Shards.Count > 0)
        {
            var shards = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
            foreach (var (metric, n) in meta.Shards)
            {
                shards[metric] = Number(n);
            }

            item[Shards] = new AttributeValue { M = shards };
        }

        if (meta.AdditiveMetrics.Count > 0)
        {
            item[Additive] = new AttributeValue { SS = [.. meta.AdditiveMetrics] };
        }

        if (meta.AbsoluteMetrics.Count > 0)
        {
            item[Absolute] = new AttributeValue { SS = [.. meta.AbsoluteMetrics] };
        }

        try
        {
            await client.PutItemAsync(
                new PutItemRequest
                {
                    TableName = table,
                    Item = item,
                    ConditionExpression = "attribute_not_exists(#lb) OR #lb < :b",
                    ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#lb"] = LastBatch },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":b"] = Number(meta.LastBatchId) },
                },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async Task<DynamoQueryMeta?> GetMetaAsync(string queryId, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(
            new GetItemRequest
            {
                TableName = table,
                ConsistentRead = true,
                Key = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
                {
                    [PartitionKey] = new AttributeValue { S = MetaPartition },
                    [DynamoKeys.SortKey] = new AttributeValue { S = queryId },
                },
            },
            cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? Meta(item) : null;
    }

    public async Task<IReadOnlyList<DynamoQueryMeta>> ListMetaAsync(CancellationToken cancellationToken)
    {
        var result = new List<DynamoQueryMeta>();
        await foreach (var item in QueryAll(MetaPartition, cancellationToken).ConfigureAwait(false))
        {
            result.Add(Meta(item));
        }

        return result;
    }

    public async Task<IReadOnlyList<DynamoRow>> QueryPartitionAsync(string partitionKey, CancellationToken cancellationToken)
    {
        var result = new List<DynamoRow>();
        var metric = MetricOf(partitionKey);
        await foreach (var item in QueryAll(partitionKey, cancellationToken).ConfigureAwait(false))
        {
            result.Add(Row(metric, item));
        }

        return result;
    }

    public async Task<IReadOnlyList<DynamoRow>> ScanAsync(int segment, int totalSegments, CancellationToken cancellationToken)
    {
        var result = new List<DynamoRow>();
        var request = new ScanRequest { TableName = table, ConsistentRead = true, Segment = segment, TotalSegments = totalSegments };
        do
        {
            var page = await client.ScanAsync(request, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items ?? [])
            {
                var pk = item[PartitionKey].S;
                if (!pk.StartsWith('_'))
                {
                    result.Add(Row(MetricOf(pk), item));
                }
            }

            request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (request.ExclusiveStartKey is not null);

        return result;
    }

    private async IAsyncEnumerable<Dictionary<string, AttributeValue>> QueryAll(string partitionKey, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new QueryRequest
        {
            TableName = table,
            ConsistentRead = true,
            KeyConditionExpression = "#pk = :pk",
            ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#pk"] = PartitionKey },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":pk"] = new AttributeValue { S = partitionKey } },
        };
        do
        {
            var page = await client.QueryAsync(request, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items ?? [])
            {
                yield return item;
            }

            request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (request.ExclusiveStartKey is not null);
    }

    private static Dictionary<string, AttributeValue> Item(in AggregateWrite write)
    {
        var row = write.Row;
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [PartitionKey] = new AttributeValue { S = write.Partition },
            [DynamoKeys.SortKey] = new AttributeValue { S = write.Sort },
            [WindowStart] = Number(row.WindowStartMicros),
            [WindowEnd] = Number(row.WindowEndMicros),
            [Value] = Number(row.Value),
            [Ttl] = Number(write.TtlSeconds),
            [BatchAttribute(write.QueryId)] = Number(write.BatchId),
        };
        if (row.Sketch is { } sketch)
        {
            item[Sketch] = new AttributeValue { B = new MemoryStream(sketch, writable: false) };
        }

        if (write.Hashed)
        {
            item[FullKey] = new AttributeValue { S = row.Key };
        }

        return item;
    }

    private static DynamoRow Row(string metric, Dictionary<string, AttributeValue> item)
    {
        var sort = item[DynamoKeys.SortKey].S;
        var key = KeyOf(sort) ?? (item.TryGetValue(FullKey, out var full) ? full.S : sort);
        var sketch = item.TryGetValue(Sketch, out var h) && h.B is { } stream ? stream.ToArray() : null;
        return new DynamoRow(metric, Long(item[WindowStart]), Long(item[WindowEnd]), key, Long(item[Value]), sketch, false);
    }

    private DynamoQueryMeta Meta(Dictionary<string, AttributeValue> item)
    {
        if (item.TryGetValue(MetaVersion, out var version) && Long(version) != FormatVersion)
        {
            throw new InvalidDataException($"dynamodb://{table} has aggregate format version {version.N}; this build reads version {FormatVersion}");
        }

        var recent = new List<BatchTouch>();
        if (item.TryGetValue(Recent, out var rc) && rc.L is { } list)
        {
            foreach (var entry in list)
            {
                recent.Add(BatchTouch.Decode(entry.S, windowMicros));
            }
        }

        var shards = new Dictionary<string, int>(StringComparer.Ordinal);
        if (item.TryGetValue(Shards, out var sh) && sh.M is { } map)
        {
            foreach (var (metric, n) in map)
            {
                shards[metric] = (int)Long(n);
            }
        }

        return new DynamoQueryMeta(
            item[DynamoKeys.SortKey].S,
            Long(item[LastBatch]),
            DateTimeOffset.Parse(item[CommittedAt].S, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal))
        {
            NewestWindowEndMicros = OptionalLong(item, NewestEnd),
            OldestWindowStartMicros = OptionalLong(item, OldestStart),
            MaxWindowEndMicros = OptionalLong(item, MaxEnd),
            WatermarkMicros = OptionalLong(item, Watermark),
            Recent = recent,
            Shards = shards,
            AdditiveMetrics = item.TryGetValue(Additive, out var am) && am.SS is { } additive ? [.. additive] : [],
            AbsoluteMetrics = item.TryGetValue(Absolute, out var ab) && ab.SS is { } absolute ? [.. absolute] : [],
        };
    }

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static long Long(AttributeValue value) => long.Parse(value.N, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static long? OptionalLong(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.N is not null ? Long(value) : null;

    private static void AddNumber(Dictionary<string, AttributeValue> item, string name, long? value)
    {
        if (value is { } v)
        {
            item[name] = Number(v);
        }
    }
}
