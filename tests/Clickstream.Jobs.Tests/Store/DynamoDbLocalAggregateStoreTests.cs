using Clickstream.Jobs.Store;

namespace Clickstream.Jobs.Tests.Store;

/// <summary>The contract on DynamoDB Local, each test with its own table, opened as the commands open it.</summary>
public sealed class DynamoDbLocalAggregateStoreTests : AggregateStoreContract
{
    internal override IAggregateStore OpenNew()
    {
        var table = DynamoDbLocal.CreateTableAsync("contract").GetAwaiter().GetResult();
        return AggregateStores.Open($"dynamodb://{table}", readOnly: false, DynamoDbLocal.Settings);
    }

    internal override IAggregateStore Reopen(IAggregateStore store) => AggregateStores.Open(store.Location, readOnly: true, DynamoDbLocal.Settings);
}
