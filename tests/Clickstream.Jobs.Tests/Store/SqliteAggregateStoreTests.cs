using Clickstream.Jobs.Store;

namespace Clickstream.Jobs.Tests.Store;

/// <summary>The contract on the SQLite store (a new file per test).</summary>
public sealed class SqliteAggregateStoreTests : AggregateStoreContract, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("clickstream-sqlite-store-").FullName;

    internal override IAggregateStore OpenNew() => new SqliteAggregateStore(Path.Combine(_folder, $"{Guid.NewGuid():N}.db"));

    internal override IAggregateStore Reopen(IAggregateStore store) => new SqliteAggregateStore(store.Location);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
