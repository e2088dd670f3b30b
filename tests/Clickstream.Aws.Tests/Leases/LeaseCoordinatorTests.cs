using Clickstream.Aws.Leases;
using Clickstream.Aws.Tests.S3;

namespace Clickstream.Aws.Tests.Leases;

/// <summary>
/// Workers sharing shards through a lease table in DynamoDB Local: take, balance, steal, fail over, release, and
/// children after their parents. The clocks are moved by hand: expiry is judged by the observer's clock alone.
/// </summary>
public sealed class LeaseCoordinatorTests : IDisposable
{
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(10);
    private readonly Amazon.DynamoDBv2.IAmazonDynamoDB _client = DynamoDbLocal.Client();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task OneWorker_TakesEveryShard_ThenASecondAndThirdBalanceIt()
    {
        var table = await NewTableAsync("shard-0", "shard-1", "shard-2", "shard-3");
        var a = Worker(table, "a");
        await a.RunOnceAsync();
        Assert.Equal(4, a.Held.Count);

        // b finds nothing free and steals from a, one lease a round, until both hold their share.
        var b = Worker(table, "b");
        await RoundsAsync(4, a, b);
        Assert.Equal((2, 2), (a.Held.Count, b.Held.Count));

        var c = Worker(table, "c");
        await RoundsAsync(4, a, b, c);
        Assert.Equal([1, 1, 2], new[] { a.Held.Count, b.Held.Count, c.Held.Count }.Order());
        AssertDisjointAndComplete(4, a, b, c);
    }

    [Fact]
    public async Task AWorkerThatStopsRenewing_LosesItsShardsAfterTheFailoverTime()
    {
        var table = await NewTableAsync("shard-0", "shard-1", "shard-2", "shard-3");
        var clock = new ManualClock();
        var a = Worker(table, "a", clock);
        var b = Worker(table, "b", clock);
        await RoundsAsync(4, a, b);
        Assert.Equal((2, 2), (a.Held.Count, b.Held.Count));

        // a is killed: it renews no more. Before the failover time b leaves its leases alone...
        clock.Advance(Failover - TimeSpan.FromSeconds(1));
        await b.RunOnceAsync();
        Assert.Equal(2, b.Held.Count);

        // ...and after it, takes them all.
        clock.Advance(TimeSpan.FromSeconds(2));
        var changes = await b.RunOnceAsync();
        Assert.Equal(2, changes.Taken.Count);
        Assert.Equal(4, b.Held.Count);

        // a comes back (a long pause, not a crash): its renewals fail and it learns it lost them.
        var back = await a.RunOnceAsync();
        Assert.Equal(2, back.Lost.Count);
        Assert.All(back.Lost, l => Assert.Contains(l, b.Held));
    }

    [Fact]
    public async Task Release_HandsTheShardsOverAtOnce()
    {
        var table = await NewTableAsync("shard-0", "shard-1");
        var clock = new ManualClock();
        var a = Worker(table, "a", clock);
        var b = Worker(table, "b", clock);
        await RoundsAsync(3, a, b);
        Assert.Equal((1, 1), (a.Held.Count, b.Held.Count));
        await a.ReleaseAllAsync();
        Assert.Empty(a.Held);

        // No waiting for the failover time: a released lease is free.
        await b.RunOnceAsync();
        Assert.Equal(2, b.Held.Count);
    }

    [Fact]
    public async Task RacingWorkers_SettleOnEqualShares()
    {
        var table = await NewTableAsync([.. Enumerable.Range(0, 8).Select(i => $"shard-{i}")]);
        var workers = Enumerable.Range(0, 4).Select(i => Worker(table, $"w{i}")).ToArray();
        for (var round = 0; round < 8; round++)
        {
            await Task.WhenAll(workers.Select(w => Task.Run(() => w.RunOnceAsync())));
        }

        // A worker whose lease was stolen learns it at its next renewal; once every worker has renewed, the
        // workers' views agree with the table and with each other.
        await RoundsAsync(4, workers);
        AssertDisjointAndComplete(8, workers);
        Assert.All(workers, w => Assert.Equal(2, w.Held.Count));
        var owners = (await table.ListAsync()).ToDictionary(l => l.LeaseKey, l => l.Owner);
        Assert.All(workers, w => Assert.All(w.Held, shard => Assert.Equal(w.WorkerId, owners[shard])));
    }

    [Fact]
    public async Task TakersOfOneLeaseVersion_ExactlyOneWins()
    {
        var table = await NewTableAsync("shard-0");
        for (var round = 0; round < 5; round++)
        {
            var seen = (await table.ListAsync()).Single();
            using var start = new ManualResetEventSlim();
            var takers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                start.Wait();
                return await table.TakeAsync(seen, $"w{i}");
            })).ToArray();
            start.Set();
            var won = await Task.WhenAll(takers);
            var winner = Assert.Single(won.Select((w, i) => (w, i)), t => t.w);
            Assert.Equal($"w{winner.i}", (await table.ListAsync()).Single().Owner);
        }
    }

    [Fact]
    public async Task ChildShards_AreTakenOnlyOnceTheirParentIsReadToItsEnd()
    {
        var table = await NewTableAsync("shard-0");
        await table.CreateIfAbsentAsync("shard-1", ["shard-0"]);
        await table.CreateIfAbsentAsync("shard-2", ["shard-0"]);
        var a = Worker(table, "a");
        await a.RunOnceAsync();
        await a.RunOnceAsync();
        Assert.Equal(["shard-0"], a.Held);

        Assert.True(await a.MarkDoneAsync("shard-0"));
        await a.RunOnceAsync();
        Assert.Equal(["shard-1", "shard-2"], a.Held.Order());
        var done = (await table.ListAsync()).Single(l => l.LeaseKey == "shard-0");
        Assert.True(done.IsDone);
        Assert.Null(done.Owner);
    }

    private static LeaseCoordinator Worker(LeaseTable table, string id, ManualClock? clock = null) =>
        new(table, id, new LeaseCoordinatorOptions { FailoverTime = Failover }, clock ?? new ManualClock());

    private async Task<LeaseTable> NewTableAsync(params string[] shards)
    {
        var table = new LeaseTable(_client, DynamoDbLocal.NewTableName("leases"), S3Emulator.Retry());
        await table.CreateIfAbsentAsync();
        foreach (var shard in shards)
        {
            Assert.True(await table.CreateIfAbsentAsync(shard, []));
        }

        Assert.False(await table.CreateIfAbsentAsync(shards[0], []));
        return table;
    }

    private static async Task RoundsAsync(int rounds, params LeaseCoordinator[] workers)
    {
        for (var i = 0; i < rounds; i++)
        {
            foreach (var worker in workers)
            {
                await worker.RunOnceAsync();
            }
        }
    }

    private static void AssertDisjoint(IEnumerable<LeaseCoordinator> workers)
    {
        var all = workers.SelectMany(w => w.Held).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    private static void AssertDisjointAndComplete(int shards, params LeaseCoordinator[] workers)
    {
        AssertDisjoint(workers);
        Assert.Equal(shards, workers.Sum(w => w.Held.Count));
    }

    /// <summary>A clock that moves only when told to.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public override long GetTimestamp() => _now.UtcTicks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Advance(TimeSpan by) => _now += by;
    }
}
