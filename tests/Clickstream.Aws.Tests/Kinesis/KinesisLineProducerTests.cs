using System.Text;
using System.Text.Json;
using Clickstream.Aws.Kinesis;
using Clickstream.Aws.Tests.S3;

namespace Clickstream.Aws.Tests.Kinesis;

/// <summary>The collector's Kinesis producer on kinesalite: packing, acknowledgement, partial failures, backpressure.</summary>
public sealed class KinesisLineProducerTests : IDisposable
{
    private readonly KinesisClient _kinesis = KinesisEmulator.Client();

    public void Dispose() => _kinesis.Dispose();

    [Fact]
    public async Task ConcurrentBatches_AreStoredOnceEach_PackedByUser()
    {
        var stream = await KinesisEmulator.NewStreamAsync(_kinesis, 4);
        var batches = Enumerable.Range(0, 40).Select(b => Lines(Enumerable.Range(0, 25).Select(i => Event($"e-{b}-{i}", $"u{(b * 7 + i) % 30}")))).ToArray();
        KinesisProducerStats stats;
        await using (var producer = new KinesisLineProducer(_kinesis, stream))
        {
            await Task.WhenAll(batches.Select(b => Task.Run(() => producer.PutAsync(b))));
            stats = producer.Stats;
        }

        var records = await KinesisReader.ReadAllAsync(_kinesis, stream);
        var lines = records.SelectMany(SplitLines).ToList();
        Assert.Equal(1_000, lines.Count);
        Assert.Equal(1_000, lines.Select(l => l.GetProperty("event_id").GetString()).Distinct().Count());

        // Every record holds the events of its partition key's user only, and there are far fewer records than events.
        Assert.All(records, r => Assert.All(SplitLines(r), l => Assert.Equal(r.PartitionKey, l.GetProperty("user_id").GetString())));
        Assert.True(records.Count < 1_000, $"{records.Count} records for 1,000 events");
        Assert.Equal((1_000L, records.Count), (stats.Lines, (int)stats.Records));
        Assert.Equal(records.Count, stats.PutUnits);
    }

    [Fact]
    public async Task OneUsersEvents_SpanSeveralRecords_WhenTheyOutgrowOne()
    {
        var stream = await KinesisEmulator.NewStreamAsync(_kinesis, 1);
        var batch = Lines(Enumerable.Range(0, 50).Select(i => Event($"big-{i}", "heavy", pad: 400)));
        await using (var producer = new KinesisLineProducer(_kinesis, stream, new KinesisProducerOptions { MaxRecordBytes = 2_000 }))
        {
            await producer.PutAsync(batch);
        }

        var records = await KinesisReader.ReadAllAsync(_kinesis, stream);
        Assert.True(records.Count >= 10, $"{records.Count} records");
        Assert.All(records, r => Assert.True(r.Data.Length + r.PartitionKey.Length <= 2_000));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"big-{i}"), records.SelectMany(SplitLines).Select(l => l.GetProperty("event_id").GetString()));
    }

    [Fact]
    public async Task LinesWithoutAUser_AreStoredUnderSpreadKeys()
    {
        var stream = await KinesisEmulator.NewStreamAsync(_kinesis, 2);
        var batch = Encoding.UTF8.GetBytes("not json\n{\"event_id\":\"x\"}\n{\"user_id\":42}\n" + Event("ok", "u1") + "\n");
        await using (var producer = new KinesisLineProducer(_kinesis, stream))
        {
            await producer.PutAsync(batch);
        }

        var records = await KinesisReader.ReadAllAsync(_kinesis, stream);
        var text = records.Select(r => Encoding.UTF8.GetString(r.Data)).ToArray();
        Assert.Equal(4, text.Sum(t => t.Count(c => c == '\n')));
        Assert.Contains(records, r => r.PartitionKey == "u1");
        Assert.Contains(records, r => r.PartitionKey.StartsWith("unkeyed-", StringComparison.Ordinal) && Encoding.UTF8.GetString(r.Data).Contains("not json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThrottledRecords_AloneAreSentAgain_AndEachEventIsStoredOnce()
    {
        var stream = await KinesisEmulator.NewStreamAsync(_kinesis, 2);
        using var throttling = new ThrottlingHandler(calls: 3);
        using var client = new KinesisClient(AwsSettings.FromEnvironment(), S3Emulator.Retry(), throttling);
        var batch = Lines(Enumerable.Range(0, 60).Select(i => Event($"t-{i}", $"u{i % 20}")));
        KinesisProducerStats stats;
        await using (var producer = new KinesisLineProducer(client, stream))
        {
            await producer.PutAsync(batch);
            stats = producer.Stats;
            Assert.True(producer.IsHealthy);
        }

        Assert.True(throttling.Throttled > 0);
        Assert.Equal(throttling.Throttled, stats.ThrottledRecords);
        var ids = (await KinesisReader.ReadAllAsync(_kinesis, stream)).SelectMany(SplitLines).Select(l => l.GetProperty("event_id").GetString()).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"t-{i}").Order(), ids);
    }

    [Fact]
    public async Task RecordsRefusedPastTheDeadline_FailTheBatch()
    {
        var stream = await KinesisEmulator.NewStreamAsync(_kinesis, 1);
        using var throttling = new ThrottlingHandler(calls: 1_000, everyRecord: true);
        using var client = new KinesisClient(AwsSettings.FromEnvironment(), S3Emulator.Retry(), throttling);
        await using var producer = new KinesisLineProducer(client, stream, new KinesisProducerOptions { RecordDeadline = TimeSpan.FromMilliseconds(300) });
        var e = await Assert.ThrowsAsync<KinesisUnavailableException>(() => producer.PutAsync(Lines([Event("a", "u1"), Event("b", "u2")])));
        Assert.Contains("ProvisionedThroughputExceededException", e.Message, StringComparison.Ordinal);
        Assert.False(producer.IsHealthy);
    }

    [Fact]
    public async Task AMissingStream_OrAFullBuffer_FailsTheBatchWithTheReason()
    {
        await using (var missing = new KinesisLineProducer(_kinesis, "no-such-stream-" + Guid.NewGuid().ToString("N")[..8]))
        {
            var e = await Assert.ThrowsAsync<KinesisUnavailableException>(() => missing.PutAsync(Lines([Event("a", "u1")])));
            Assert.Contains("ResourceNotFoundException", e.Message, StringComparison.Ordinal);
            Assert.False(missing.IsHealthy);
        }

        var stream = await KinesisEmulator.NewStreamAsync(_kinesis, 1);
        await using var small = new KinesisLineProducer(_kinesis, stream, new KinesisProducerOptions { MaxPendingBytes = 100 });
        var full = await Assert.ThrowsAsync<KinesisUnavailableException>(() => small.PutAsync(Lines([Event("a", "u1", pad: 200)])));
        Assert.Contains("already waiting", full.Message, StringComparison.Ordinal);
        await small.PutAsync(Lines([Event("b", "u1")]));
    }

    private static string Event(string id, string user, int pad = 0) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["event_id"] = id, ["user_id"] = user, ["event_type"] = "page_view", ["pad"] = new string('p', pad) });

    private static byte[] Lines(IEnumerable<string> lines) => Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));

    private static IEnumerable<JsonElement> SplitLines(KinesisRecord record) =>
        Encoding.UTF8.GetString(record.Data).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone());
}
