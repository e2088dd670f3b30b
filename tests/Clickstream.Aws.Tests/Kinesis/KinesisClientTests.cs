using System.Text;
using Clickstream.Aws.Kinesis;

namespace Clickstream.Aws.Tests.Kinesis;

/// <summary>The JSON 1.1 Kinesis client against kinesalite: every call the pipeline makes, and its errors.</summary>
public sealed class KinesisClientTests : IDisposable
{
    private readonly KinesisClient _kinesis = KinesisEmulator.Client();

    public void Dispose() => _kinesis.Dispose();

    [Fact]
    public async Task CreateDescribeAndList_ReportTheStreamAndItsShards()
    {
        var stream = await KinesisEmulator.NewStreamAsync(_kinesis, 4);
        Assert.False(await _kinesis.CreateStreamAsync(stream, 4));
        var summary = await _kinesis.DescribeStreamSummaryAsync(stream);
        Assert.Equal(("ACTIVE", 4, stream), (summary.Status, summary.OpenShardCount, summary.Name));
        var shards = await _kinesis.ListShardsAsync(stream);
        Assert.Equal(4, shards.Count);
        Assert.All(shards, s => Assert.False(s.IsClosed));
        Assert.Equal("0", shards[0].StartingHashKey);
        Assert.Equal("340282366920938463463374607431768211455", shards[^1].EndingHashKey);
    }

    [Fact]
    public async Task PutAndGet_EveryRecordComesBackByteExactInSequenceOrderPerShard()
    {
        var stream = await KinesisEmulator.NewStreamAsync(_kinesis, 4);
        var sent = Enumerable.Range(0, 500).Select(i => new KinesisPutEntry($"user-{i % 37}", Encoding.UTF8.GetBytes($"{{\"n\":{i},\"pad\":\"{new string('x', i % 300)}\"}}"))).ToArray();
        var outcomes = await _kinesis.PutRecordsAsync(stream, sent);
        Assert.All(outcomes, o => Assert.True(o.Succeeded));
        Assert.True(outcomes.Select(o => o.ShardId).Distinct().Count() > 1);

        var received = new List<(string Key, byte[] Data)>();
        foreach (var shard in await _kinesis.ListShardsAsync(stream))
        {
            var iterator = await _kinesis.GetShardIteratorAsync(stream, shard.ShardId, KinesisIteratorType.TrimHorizon);
            string? last = null;
            while (true)
            {
                var page = await _kinesis.GetRecordsAsync(iterator, limit: 100);
                foreach (var record in page.Records)
                {
                    Assert.True(last is null || KinesisClient.CompareSequenceNumbers(last, record.SequenceNumber) < 0);
                    Assert.True(record.ArrivalTime > DateTimeOffset.UtcNow.AddMinutes(-5));
                    last = record.SequenceNumber;
                    received.Add((record.PartitionKey, record.Data));
                }

                if (page.Records.Count == 0)
                {
                    break;
                }

                iterator = page.NextShardIterator!;
            }
        }

        Assert.Equal(sent.Select(s => (s.PartitionKey, Encoding.UTF8.GetString(s.Data.Span))).Order(), received.Select(r => (r.Key, Encoding.UTF8.GetString(r.Data))).Order());
    }

    [Fact]
    public async Task Iterators_AtAndAfterASequenceNumber_StartAtItAndPastIt()
    {
        var stream = await KinesisEmulator.NewStreamAsync(_kinesis, 1);
        var outcomes = await _kinesis.PutRecordsAsync(stream, Enumerable.Range(0, 5).Select(i => new KinesisPutEntry("k", new[] { (byte)i })).ToArray());
        var shard = outcomes[0].ShardId!;
        var at = await _kinesis.GetRecordsAsync(await _kinesis.GetShardIteratorAsync(stream, shard, KinesisIteratorType.AtSequenceNumber, outcomes[2].SequenceNumber));
        var after = await _kinesis.GetRecordsAsync(await _kinesis.GetShardIteratorAsync(stream, shard, KinesisIteratorType.AfterSequenceNumber, outcomes[2].SequenceNumber));
        Assert.Equal([2, 3, 4], at.Records.Select(r => (int)r.Data[0]));
        Assert.Equal([3, 4], after.Records.Select(r => (int)r.Data[0]));
        var latest = await _kinesis.GetRecordsAsync(await _kinesis.GetShardIteratorAsync(stream, shard, KinesisIteratorType.Latest));
        Assert.Empty(latest.Records);
    }

    [Fact]
    public async Task SplitShard_ClosesTheParentAndItsChildrenNameIt()
    {
        var stream = await KinesisEmulator.NewStreamAsync(_kinesis, 1);
        var parent = (await _kinesis.ListShardsAsync(stream)).Single();
        await _kinesis.PutRecordsAsync(stream, [new KinesisPutEntry("k", "before"u8.ToArray())]);
        await _kinesis.SplitShardAsync(stream, parent.ShardId, "170141183460469231731687303715884105728");
        await _kinesis.WaitUntilActiveAsync(stream, TimeSpan.FromSeconds(30));
        var shards = await _kinesis.ListShardsAsync(stream);
        Assert.Equal(3, shards.Count);
        Assert.True(shards.Single(s => s.ShardId == parent.ShardId).IsClosed);
        var children = shards.Where(s => s.ShardId != parent.ShardId).ToArray();
        Assert.All(children, c => Assert.Equal([parent.ShardId], c.Parents));

        // The closed parent reads to its end, then has no next iterator.
        var iterator = await _kinesis.GetShardIteratorAsync(stream, parent.ShardId, KinesisIteratorType.TrimHorizon);
        var page = await _kinesis.GetRecordsAsync(iterator);
        Assert.Equal("before", Encoding.UTF8.GetString(page.Records.Single().Data));
        while (page.NextShardIterator is { } next)
        {
            page = await _kinesis.GetRecordsAsync(next);
        }
    }

    [Fact]
    public async Task Errors_CarryTheServicesCodeAndAreNotRetried()
    {
        var missing = await Assert.ThrowsAsync<AwsCallException>(() => _kinesis.DescribeStreamSummaryAsync("no-such-stream-" + Guid.NewGuid().ToString("N")[..8]));
        Assert.Contains("ResourceNotFoundException (400)", missing.Message, StringComparison.Ordinal);
        Assert.False(missing.Retryable);
        var garbage = await Assert.ThrowsAsync<AwsCallException>(() => _kinesis.GetRecordsAsync("not-an-iterator"));
        Assert.Contains("InvalidArgumentException", garbage.Message, StringComparison.Ordinal);
        Assert.Equal(AwsErrorKind.Fatal, AwsErrors.Classify(garbage.InnerException!));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _kinesis.PutRecordsAsync("s", new KinesisPutEntry[KinesisLimits.MaxRecordsPerPut + 1]));
    }

    [Theory]
    [InlineData("ProvisionedThroughputExceededException", 400, AwsErrorKind.Retryable)]
    [InlineData("LimitExceededException", 400, AwsErrorKind.Retryable)]
    [InlineData("KMSThrottlingException", 400, AwsErrorKind.Retryable)]
    [InlineData("InternalFailure", 500, AwsErrorKind.Retryable)]
    [InlineData("ResourceNotFoundException", 400, AwsErrorKind.Fatal)]
    [InlineData("AccessDeniedException", 400, AwsErrorKind.Fatal)]
    public void KinesisErrors_AreClassifiedInTheOnePlace(string code, int status, AwsErrorKind kind) =>
        Assert.Equal(kind, AwsErrors.Classify(new KinesisServiceException("m", code, (System.Net.HttpStatusCode)status, null)));

    [Fact]
    public void TheAccountsShardQuota_IsNotRetried()
    {
        var quota = new KinesisServiceException("This request would exceed the shard limit for the account 123 in us-east-1.", "LimitExceededException", System.Net.HttpStatusCode.BadRequest, null);
        Assert.Equal(AwsErrorKind.Fatal, AwsErrors.Classify(quota));
    }

    [Theory]
    [InlineData("9", "10", -1)]
    [InlineData("49590338271490256608559692538361571095921575989136588898", "49590338271490256608559692538361571095921575989136588899", -1)]
    [InlineData("123", "123", 0)]
    [InlineData("2", "10", -1)]
    public void SequenceNumbers_CompareAsNumbers(string a, string b, int sign)
    {
        Assert.Equal(sign, Math.Sign(KinesisClient.CompareSequenceNumbers(a, b)));
        Assert.Equal(-sign, Math.Sign(KinesisClient.CompareSequenceNumbers(b, a)));
    }
}
