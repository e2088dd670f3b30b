using System.Globalization;
using Clickstream.Jobs.Tests.Support;
using Xunit.Abstractions;

namespace Clickstream.Jobs.Tests.Aws;

/// <summary>
/// Exactly-once under SIGKILL on AWS storage: the built program, with its checkpoint and lake on S3 and its store
/// in DynamoDB (the emulators), is killed again and again part-way through a run and restarted; the store and the
/// lake it ends with equal one uninterrupted run's, each event once.
/// </summary>
public sealed class AwsKillRestartTests(ITestOutputHelper output)
{
    private const int Files = 16;
    private const int MinimumKills = 5;
    private const string Start = "2024-03-01T00:00:00Z";
    private static readonly DateTimeOffset ProcessingTimeFrom = new(2024, 3, 2, 0, 0, 0, TimeSpan.Zero);

    // Each killed run is killed this long after it planned a new batch: tied to progress, not to the clock.
    private static readonly int[] KillAfterMs = [0, 150, 40, 300, 80, 10, 500, 220];
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Stream_OnS3AndDynamoDb_KilledRepeatedly_EqualsTheUninterruptedRun()
    {
        using var folder = new TempFolder("aws-kill");
        var input = folder.PathOf("input");
        await JobCommands.GenerateAsync("--out", input, "--events", "80000", "--files", Files.ToString(CultureInfo.InvariantCulture), "--start", Start, "--invalid-rate", "0.01", "--late-rate", "0.01");
        var (bucket, table) = await AwsTestEnvironment.CreateAsync("kill");

        string[] common = ["stream", "--input", input, "--trigger", "available-now", "--max-files-per-trigger", "1", "--quiet"];
        var (code, _, stderr) = await ClickstreamProgram.RunAsync(RunTimeout, [.. common, "--checkpoint", folder.PathOf("checkpoint"), "--store", folder.PathOf("store.db"), "--lake", folder.PathOf("lake")]);
        Assert.True(code == 0, stderr);

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
        output.WriteLine($"{commitsAtKill.Count} kills; commits at each kill: {summary} (of {Files} data batches)");
        Assert.True(commitsAtKill.Count >= MinimumKills, $"only {commitsAtKill.Count} runs were still running when killed (commits at kill: {summary})");
        Assert.True(commitsAtKill[0] < Files, $"the first kill came after all {Files} data batches (commits at kill: {summary})");

        var expected = ExportLines.Split(await JobCommands.ExportTextAsync(folder.PathOf("store.db")), ProcessingTimeFrom);
        var actual = ExportLines.Split(await JobCommands.ExportTextAsync($"dynamodb://{table}"), ProcessingTimeFrom);
        Assert.True(expected.Deterministic.Count > 500, "the uninterrupted run should export many rows");
        Assert.Equal(expected.Deterministic, actual.Deterministic);
        Assert.Equal(expected.InvalidAtProcessingTime, actual.InvalidAtProcessingTime);

        var lake = await AwsTestEnvironment.MirrorAsync(bucket, "lake", folder.PathOf("mirror-lake"));
        var (_, expectedEvents) = await LakeReader.ReadAsync(Path.Combine(folder.PathOf("lake"), "events"));
        var (_, actualEvents) = await LakeReader.ReadAsync(Path.Combine(lake, "events"));
        var ids = actualEvents.Select(r => (string)r["event_id"]!).ToList();
        Assert.True(expectedEvents.Count > 70_000, $"the uninterrupted run stored {expectedEvents.Count} events");
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(expectedEvents.Select(r => (string)r["event_id"]!).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));

        var (_, expectedBad) = await LakeReader.ReadAsync(Path.Combine(folder.PathOf("lake"), "quarantine"));
        var (_, actualBad) = await LakeReader.ReadAsync(Path.Combine(lake, "quarantine"));
        static IEnumerable<string> Keys(List<Dictionary<string, object?>> rows) =>
            rows.Select(r => $"{r["batch_id"]}|{r["source_file"]}|{r["source_offset"]}|{r["reason"]}|{r["raw_text"]}").Order(StringComparer.Ordinal);
        Assert.NotEmpty(expectedBad);
        Assert.Equal(Keys(expectedBad), Keys(actualBad));
    }
}
