using Clickstream.Aws;
using Clickstream.Aws.Kinesis;
using Clickstream.Jobs.Tests.Support;
using Xunit.Abstractions;

namespace Clickstream.Jobs.Tests.Aws;

/// <summary>
/// Exactly-once under SIGKILL with Kinesis in: the built program reads a Kinesis stream (kinesalite) into a
/// checkpoint and lake on S3 and a store in DynamoDB, is killed again and again part-way and restarted (each
/// restart re-reads its planned batch from Kinesis), and ends with what one uninterrupted run from the same stream
/// gives, each event once. A watermark of a day keeps the result independent of where batches fall, which read
/// timing decides for a stream.
/// </summary>
public sealed class KinesisKillRestartTests(ITestOutputHelper output)
{
    private const int MinimumKills = 5;
    private static readonly DateTimeOffset ProcessingTimeFrom = new(2024, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly int[] KillAfterMs = [0, 150, 40, 300, 80, 10, 500, 220];
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Stream_FromKinesis_KilledRepeatedly_EqualsTheUninterruptedRun()
    {
        using var folder = new TempFolder("kinesis-kill");
        var input = folder.PathOf("input");
        await JobCommands.GenerateAsync("--out", input, "--events", "40000", "--files", "1", "--start", "2024-03-01T00:00:00Z", "--minutes", "30", "--invalid-rate", "0.01", "--late-rate", "0");
        var (bucket, table) = await AwsTestEnvironment.CreateAsync("kkill");
        using (var kinesis = new KinesisClient(AwsSettings.FromEnvironment(), new AwsRetry(TimeProvider.System, TimeSpan.FromSeconds(30))))
        {
            await kinesis.CreateStreamAsync(bucket, 3);
            await kinesis.WaitUntilActiveAsync(bucket, TimeSpan.FromSeconds(30));
            await KinesisWriter.PutLinesAsync(kinesis, bucket, [.. EventFiles.InJobOrder(input).SelectMany(EventFiles.ReadLines).Select(l => l.Bytes)]);
        }

        // About 1 MB per batch: a couple of dozen batches to be killed among.
        string[] common = ["stream", "--input", $"kinesis://{bucket}", "--trigger", "available-now", "--watermark", "1d", "--max-bytes-per-trigger", "1000000", "--quiet"];
        var (code, _, stderr) = await ClickstreamProgram.RunAsync(RunTimeout, [.. common, "--checkpoint", folder.PathOf("checkpoint"), "--store", folder.PathOf("store.db"), "--lake", folder.PathOf("lake")]);
        Assert.True(code == 0, stderr);
        var batches = Directory.GetFiles(Path.Combine(folder.PathOf("checkpoint"), "commits")).Length;

        string[] killed = [.. common, "--checkpoint", $"s3://{bucket}/checkpoint", "--store", $"dynamodb://{table}", "--lake", $"s3://{bucket}/lake"];
        using var s3 = AwsTestEnvironment.S3();
        var commitsAtKill = await ProgramProcess.KillRepeatedlyAsync(
            killed,
            () => AwsTestEnvironment.CountAsync(s3, bucket, "checkpoint/offsets"),
            () => AwsTestEnvironment.CountAsync(s3, bucket, "checkpoint/commits"),
            MinimumKills,
            KillAfterMs,
            RunTimeout);

        var (finalCode, _, finalErrors) = await ClickstreamProgram.RunAsync(RunTimeout, killed);
        Assert.True(finalCode == 0, finalErrors);
        var summary = string.Join(", ", commitsAtKill);
        output.WriteLine($"{commitsAtKill.Count} kills; commits at each kill: {summary} (the uninterrupted run made {batches} batches)");
        Assert.True(commitsAtKill.Count >= MinimumKills, $"only {commitsAtKill.Count} runs were still running when killed (commits at kill: {summary})");

        var expected = ExportLines.Split(await JobCommands.ExportTextAsync(folder.PathOf("store.db")), ProcessingTimeFrom);
        var actual = ExportLines.Split(await JobCommands.ExportTextAsync($"dynamodb://{table}"), ProcessingTimeFrom);
        Assert.True(expected.Deterministic.Count > 500, "the uninterrupted run should export many rows");
        Assert.Equal(expected.Deterministic, actual.Deterministic);
        Assert.Equal(expected.InvalidAtProcessingTime, actual.InvalidAtProcessingTime);

        var lake = await AwsTestEnvironment.MirrorAsync(bucket, "lake", folder.PathOf("mirror-lake"));
        var (_, expectedEvents) = await LakeReader.ReadAsync(Path.Combine(folder.PathOf("lake"), "events"));
        var (_, actualEvents) = await LakeReader.ReadAsync(Path.Combine(lake, "events"));
        var ids = actualEvents.Select(r => (string)r["event_id"]!).ToList();
        Assert.True(expectedEvents.Count > 35_000, $"the uninterrupted run stored {expectedEvents.Count} events");
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(expectedEvents.Select(r => (string)r["event_id"]!).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));

        // The same invalid lines quarantined once each, from the same records (batch ids may differ).
        var (_, expectedBad) = await LakeReader.ReadAsync(Path.Combine(folder.PathOf("lake"), "quarantine"));
        var (_, actualBad) = await LakeReader.ReadAsync(Path.Combine(lake, "quarantine"));
        static IEnumerable<string> Keys(List<Dictionary<string, object?>> rows) =>
            rows.Select(r => $"{r["source_file"]}|{r["source_offset"]}|{r["reason"]}|{r["raw_text"]}").Order(StringComparer.Ordinal);
        Assert.NotEmpty(expectedBad);
        Assert.Equal(Keys(expectedBad), Keys(actualBad));
    }
}
