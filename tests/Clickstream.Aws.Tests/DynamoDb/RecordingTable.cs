using System.Collections.Concurrent;
using Clickstream.Aws.DynamoDb;

namespace Clickstream.Aws.Tests.DynamoDb;

/// <summary>
/// Wraps any <see cref="IAggregateTable"/> (the fake or DynamoDB Local): records the item writes it is asked for, and
/// can make the process "die" after k of them (the call that would exceed k fails; a BatchWriteItem is cut in two
/// first, so part of it lands), which gives a crash halfway through a batch on a real table.
/// </summary>
internal sealed class RecordingTable(IAggregateTable inner) : IAggregateTable
{
    private readonly ConcurrentQueue<AggregateWrite> _writes = new();
    private long _budget = long.MaxValue;

    public string Name => inner.Name;

    public IReadOnlyList<AggregateWrite> Writes => [.. _writes];

    /// <summary>After <paramref name="writes"/> more item writes, every write fails as if the process had died.</summary>
    public void CrashAfter(long writes) => Interlocked.Exchange(ref _budget, writes);

    public async Task<IReadOnlyList<AggregateWrite>> PutBatchAsync(IReadOnlyList<AggregateWrite> writes, CancellationToken cancellationToken)
    {
        var allowed = Take(writes.Count);
        if (allowed < writes.Count)
        {
            if (allowed > 0)
            {
                var part = new List<AggregateWrite>();
                for (var i = 0; i < allowed; i++)
                {
                    part.Add(writes[i]);
                }

                Record(part);
                await inner.PutBatchAsync(part, cancellationToken);
            }

            throw new InjectedCrashException();
        }

        Record(writes);
        return await inner.PutBatchAsync(writes, cancellationToken);
    }

    public Task<bool> UpdateIfNewerAsync(AggregateWrite write, CancellationToken cancellationToken)
    {
        if (Take(1) < 1)
        {
            throw new InjectedCrashException();
        }

        _writes.Enqueue(write);
        return inner.UpdateIfNewerAsync(write, cancellationToken);
    }

    public Task<bool> PutMetaIfNewerAsync(DynamoQueryMeta meta, CancellationToken cancellationToken) =>
        Take(1) < 1 ? throw new InjectedCrashException() : inner.PutMetaIfNewerAsync(meta, cancellationToken);

    public Task<DynamoQueryMeta?> GetMetaAsync(string queryId, CancellationToken cancellationToken) => inner.GetMetaAsync(queryId, cancellationToken);

    public Task<IReadOnlyList<DynamoQueryMeta>> ListMetaAsync(CancellationToken cancellationToken) => inner.ListMetaAsync(cancellationToken);

    public Task<IReadOnlyList<DynamoRow>> QueryPartitionAsync(string partitionKey, CancellationToken cancellationToken) => inner.QueryPartitionAsync(partitionKey, cancellationToken);

    public Task<IReadOnlyList<DynamoRow>> ScanAsync(int segment, int totalSegments, CancellationToken cancellationToken) => inner.ScanAsync(segment, totalSegments, cancellationToken);

    private void Record(IReadOnlyList<AggregateWrite> writes)
    {
        foreach (var w in writes)
        {
            _writes.Enqueue(w);
        }
    }

    // How many of n writes may still go through (the rest "crash").
    private long Take(long n)
    {
        while (true)
        {
            var budget = Interlocked.Read(ref _budget);
            if (budget == long.MaxValue)
            {
                return n;
            }

            var allowed = Math.Min(n, budget);
            if (Interlocked.CompareExchange(ref _budget, budget - allowed, budget) == budget)
            {
                return allowed;
            }
        }
    }
}
