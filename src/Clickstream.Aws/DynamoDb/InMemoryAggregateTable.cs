using System.Net;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// An in-memory <see cref="IAggregateTable"/> with DynamoDB's semantics for the calls the store makes (a put replaces
/// the whole item, a failed condition changes nothing, BatchWriteItem is not atomic) and failures to inject:
/// throttling, unprocessed items, and a crash after k item writes (mid-batch, mid-BatchWriteItem). For unit tests.
/// </summary>
internal sealed class InMemoryAggregateTable(string name = "fake") : IAggregateTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Pk, string Sk), Item> _items = [];
    private readonly Dictionary<string, DynamoQueryMeta> _meta = new(StringComparer.Ordinal);
    private int _throttleCalls;
    private int _unprocessedCalls;
    private int _unprocessedItems;
    private long _writesBeforeCrash = -1;
    private long _calls;
    private long _itemWrites;
    private long _conditionFailures;

    public string Name => name;

    /// <summary>Requests received (every method), failed ones included.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Item writes applied (rows and metadata items).</summary>
    public long ItemWrites => Interlocked.Read(ref _itemWrites);

    /// <summary>Conditional writes whose condition failed.</summary>
    public long ConditionFailures => Interlocked.Read(ref _conditionFailures);

    /// <summary>The rows stored now (metadata items left out), in no particular order.</summary>
    public IReadOnlyList<DynamoRow> Rows
    {
        get
        {
            lock (_lock)
            {
                var rows = new List<DynamoRow>(_items.Count);
                foreach (var ((pk, _), item) in _items)
                {
                    rows.Add(item.ToRow(DynamoKeys.MetricOf(pk)));
                }

                return rows;
            }
        }
    }

    /// <summary>The next <paramref name="calls"/> write calls fail with ProvisionedThroughputExceededException.</summary>
    public void ThrottleNext(int calls)
    {
        lock (_lock)
        {
            _throttleCalls = calls;
        }
    }

    /// <summary>The next <paramref name="calls"/> BatchWriteItem calls leave their last <paramref name="items"/> items unprocessed.</summary>
    public void LeaveUnprocessed(int calls, int items)
    {
        lock (_lock)
        {
            _unprocessedCalls = calls;
            _unprocessedItems = items;
        }
    }

    /// <summary>After <paramref name="writes"/> more item writes, every call fails as if the process had died, until <see cref="Restart"/>.</summary>
    public void CrashAfter(long writes)
    {
        lock (_lock)
        {
            _writesBeforeCrash = writes;
        }
    }

    /// <summary>Ends an injected crash (the "restarted process" talks to the same table).</summary>
    public void Restart()
    {
        lock (_lock)
        {
            _writesBeforeCrash = -1;
        }
    }

    public Task<IReadOnlyList<AggregateWrite>> PutBatchAsync(IReadOnlyList<AggregateWrite> writes, CancellationToken cancellationToken)
    {
        if (writes.Count is 0 or > 25)
        {
            throw new AmazonDynamoDBException("Too many items requested for the BatchWriteItem call") { ErrorCode = "ValidationException", StatusCode = HttpStatusCode.BadRequest };
        }

        lock (_lock)
        {
            BeginWrite();
            var keep = writes.Count;
            if (_unprocessedCalls > 0)
            {
                _unprocessedCalls--;
                keep = Math.Max(0, writes.Count - _unprocessedItems);
            }

            for (var i = 0; i < keep; i++)
            {
                WriteOne();
                var w = writes[i];
                _items[(w.Partition, w.Sort)] = new Item(w.Row, w.TtlSeconds) { Batches = { [w.QueryId] = w.BatchId } };
            }

            var left = new List<AggregateWrite>(writes.Count - keep);
            for (var i = keep; i < writes.Count; i++)
            {
                left.Add(writes[i]);
            }

            return Task.FromResult<IReadOnlyList<AggregateWrite>>(left);
        }
    }

    public Task<bool> UpdateIfNewerAsync(AggregateWrite write, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            BeginWrite();
            var key = (write.Partition, write.Sort);
            _items.TryGetValue(key, out var item);
            if (item is not null && item.Batches.TryGetValue(write.QueryId, out var seen) && seen >= write.BatchId)
            {
                _conditionFailures++;
                return Task.FromResult(false);
            }

            WriteOne();
            var row = write.Row;
            var value = row.Additive && item is not null ? item.Value + row.Value : row.Value;
            var updated = new Item(row with { Value = value, Sketch = row.Sketch ?? item?.Sketch }, write.TtlSeconds);
            if (item is not null)
            {
                foreach (var (q, b) in item.Batches)
                {
                    updated.Batches[q] = b;
                }
            }

            updated.Batches[write.QueryId] = write.BatchId;
            _items[key] = updated;
            return Task.FromResult(true);
        }
    }

    public Task<bool> PutMetaIfNewerAsync(DynamoQueryMeta meta, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            BeginWrite();
            if (_meta.TryGetValue(meta.QueryId, out var old) && old.LastBatchId >= meta.LastBatchId)
            {
                _conditionFailures++;
                return Task.FromResult(false);
            }

            WriteOne();
            _meta[meta.QueryId] = meta;
            return Task.FromResult(true);
        }
    }

    public Task<DynamoQueryMeta?> GetMetaAsync(string queryId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            BeginRead();
            return Task.FromResult(_meta.GetValueOrDefault(queryId));
        }
    }

    public Task<IReadOnlyList<DynamoQueryMeta>> ListMetaAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            BeginRead();
            return Task.FromResult<IReadOnlyList<DynamoQueryMeta>>([.. _meta.Values]);
        }
    }

    public Task<IReadOnlyList<DynamoRow>> QueryPartitionAsync(string partitionKey, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            BeginRead();
            var metric = DynamoKeys.MetricOf(partitionKey);
            var rows = new List<DynamoRow>();
            foreach (var ((pk, _), item) in _items)
            {
                if (pk == partitionKey)
                {
                    rows.Add(item.ToRow(metric));
                }
            }

            return Task.FromResult<IReadOnlyList<DynamoRow>>(rows);
        }
    }

    public Task<IReadOnlyList<DynamoRow>> ScanAsync(int segment, int totalSegments, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            BeginRead();
            var rows = new List<DynamoRow>();
            foreach (var ((pk, sk), item) in _items)
            {
                if ((uint)HashCode.Combine(pk, sk) % (uint)totalSegments == (uint)segment)
                {
                    rows.Add(item.ToRow(DynamoKeys.MetricOf(pk)));
                }
            }

            return Task.FromResult<IReadOnlyList<DynamoRow>>(rows);
        }
    }

    // Called under the lock.
    private void BeginWrite()
    {
        BeginRead();
        if (_throttleCalls > 0)
        {
            _throttleCalls--;
            throw new AmazonDynamoDBException("The level of configured provisioned throughput for the table was exceeded (injected)")
            {
                ErrorCode = "ProvisionedThroughputExceededException",
                StatusCode = HttpStatusCode.BadRequest,
                ErrorType = ErrorType.Sender,
            };
        }
    }

    private void BeginRead()
    {
        _calls++;
        if (_writesBeforeCrash == 0)
        {
            throw new InjectedCrashException();
        }
    }

    private void WriteOne()
    {
        if (_writesBeforeCrash == 0)
        {
            throw new InjectedCrashException();
        }

        if (_writesBeforeCrash > 0)
        {
            _writesBeforeCrash--;
        }

        _itemWrites++;
    }

    private sealed class Item(DynamoRow row, long ttl)
    {
        public long Value { get; } = row.Value;

        public byte[]? Sketch { get; } = row.Sketch;

        public long Ttl { get; } = ttl;

        public Dictionary<string, long> Batches { get; } = new(StringComparer.Ordinal);

        public DynamoRow ToRow(string metric) => new(metric, row.WindowStartMicros, row.WindowEndMicros, row.Key, Value, Sketch, false);
    }
}
