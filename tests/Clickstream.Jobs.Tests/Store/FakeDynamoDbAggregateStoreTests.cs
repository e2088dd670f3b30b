using Clickstream.Aws.DynamoDb;
using Clickstream.Jobs.Store;

namespace Clickstream.Jobs.Tests.Store;

/// <summary>The contract on the DynamoDB store over the in-memory table.</summary>
public sealed class FakeDynamoDbAggregateStoreTests : AggregateStoreContract
{
    private readonly Dictionary<IAggregateStore, InMemoryAggregateTable> _tables = [];

    internal override IAggregateStore OpenNew() => Open(new InMemoryAggregateTable());

    internal override IAggregateStore Reopen(IAggregateStore store) => Open(_tables[store]);

    private DynamoDbAggregateStore Open(InMemoryAggregateTable table)
    {
        var options = AggregateStores.DynamoOptions(StoreLocation.Parse("dynamodb://fake-table"), TimeSpan.FromSeconds(30));
        var store = new DynamoDbAggregateStore(new DynamoAggregateStore(table, options, TimeProvider.System), "dynamodb://fake-table", null);
        _tables[store] = table;
        return store;
    }
}
