using System.Collections.Concurrent;
using Clickstream.Aws.Kinesis;
using Clickstream.Aws.Leases;
using Clickstream.Aws.Tests.Kinesis;
using Clickstream.Aws.Tests.S3;

namespace Clickstream.Aws.Tests.Leases;

/// <summary>
/// Workers sharing a kinesalite stream's shards through a lease table in DynamoDB Local, in real time with a short
/// failover time: a worker that joins gets its share, one that dies has its shards taken after the failover time,
/// and one that stops hands them over at once. After a steal the previous owner reads on until its next renewal
/// fails (at most one renew interval; its writes are fenced by the checkpoint's conditional puts), so the test
/// waits for the workers to agree before it looks.
/// </summary>
public sealed class LeaseWorkerTests : IDisposable
{
    private static readonly TimeSpan Failover = TimeSpan.FromMilliseconds(1500);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Amazon.DynamoDBv2.IAmazonDynamoDB _dynamo = DynamoDbLocal.Client();
    private readonly KinesisClient _kinesis = KinesisEmulator.Client();
    private readonly ConcurrentDictionary<string, int> _readers = new(StringComparer.Ordinal);
    private int _overlaps;

    public void Dispose()
    {
        _dynamo.Dispose();
        _kinesis.Dispose();
    }

    [Fact]
    public async Task Workers_ShareTheShards_FailOver_AndHandOver()
    {
        var stream = await KinesisEmulator.NewStreamAsync(_kinesis, 4);
        var table = new LeaseTable(_dynamo, DynamoDbLocal.NewTableName("lease-workers"), S3Emulator.Retry());
        await table.CreateIfAbsentAsync();

        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var a = Worker(table, stream, "a");
        var runA = a.RunAsync(stopA.Token);
        await WaitUntilAsync(() => a.Running.Count == 4, "a alone reads every shard");

        var b = Worker(table, stream, "b");
        var runB = b.RunAsync(stopB.Token, releaseOnStop: false);
        await WaitUntilAsync(() => a.Running.Count == 2 && b.Running.Count == 2, "a and b read two shards each");
        Assert.Empty(a.Running.Intersect(b.Running));
        Assert.Equal(4, _readers.Count(r => r.Value == 1));

        // b dies (no release): a takes its shards once their counters have not moved for the failover time.
        var died = DateTime.UtcNow;
        await stopB.CancelAsync();
        await runB;
        await WaitUntilAsync(() => a.Running.Count == 4, "a takes over b's shards");
        var failover = DateTime.UtcNow - died;
        Assert.True(failover >= Failover, $"a took b's shards after {failover.TotalMilliseconds:F0} ms, before the failover time");

        // a stops cleanly: its leases are free at once, with nobody reading.
        await stopA.CancelAsync();
        await runA;
        Assert.Empty(a.Running);
        Assert.All(await table.ListAsync(), l => Assert.Null(l.Owner));
        Assert.All(_readers, r => Assert.Equal(0, r.Value));
        Assert.True(_overlaps <= 2, $"{_overlaps} shards were read by two workers at once; only the two stolen ones may be, briefly");
    }

    private LeaseWorker Worker(LeaseTable table, string stream, string id) =>
        new(
            new LeaseCoordinator(table, id, new LeaseCoordinatorOptions { FailoverTime = Failover }),
            ct => LeaseSync.SyncAsync(table, _kinesis, stream, ct),
            async (shard, ct) =>
            {
                // Reading a shard: count its readers, and the times two read it at once.
                if (_readers.AddOrUpdate(shard, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref _overlaps);
                }

                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                finally
                {
                    _readers.AddOrUpdate(shard, 0, (_, n) => n - 1);
                }

                return false;
            });

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (!condition())
        {
            try
            {
                await Task.Delay(50, patience.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"not within {Patience.TotalSeconds} s: {what}");
            }
        }
    }
}
