using System.Text.Json;
using Clickstream.Aws;
using Clickstream.Aws.Kinesis;
using Clickstream.Jobs.Streaming;
using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.Aws;

/// <summary>
/// <c>clickstream stream --input kinesis://STREAM</c> on kinesalite gives what the same events give from files: the
/// same export and each valid event once in the lake, across several batches, a shard split mid-stream, and a
/// restart that re-reads a planned batch from Kinesis.
/// </summary>
public sealed class KinesisStreamTests : IDisposable
{
    private static readonly DateTimeOffset ProcessingTimeFrom = new(2024, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private readonly KinesisClient _kinesis;

    public KinesisStreamTests()
    {
        AwsTestEnvironment.Ensure();
        _kinesis = new KinesisClient(AwsSettings.FromEnvironment(), new AwsRetry(TimeProvider.System, TimeSpan.FromSeconds(30)));
    }

    public void Dispose() => _kinesis.Dispose();

    [Fact]
    public async Task Stream_FromKinesis_EqualsTheFileRun_AcrossASplitAndAReplayedBatch()
    {
        using var folder = new TempFolder("kinesis-stream");
        var input = folder.PathOf("input");
        await JobCommands.GenerateAsync("--out", input, "--events", "12000", "--files", "2", "--seed", "12", "--start", "2024-03-01T00:00:00Z", "--minutes", "20", "--late-rate", "0", "--invalid-rate", "0.02", "--duplicate-rate", "0.03");
        var lines = EventFiles.InJobOrder(input).SelectMany(EventFiles.ReadLines).Select(l => l.Bytes).ToList();
        var stream = "job-" + Guid.NewGuid().ToString("N")[..12];
        await _kinesis.CreateStreamAsync(stream, 2);
        await _kinesis.WaitUntilActiveAsync(stream, TimeSpan.FromSeconds(30));

        // A watermark of a day keeps every event in both runs, however the batches fall.
        string[] common = ["--trigger", "available-now", "--watermark", "1d", "--quiet"];
        var fileRun = await JobCommands.RunAsync(new StreamCommand(), [.. common, "--input", input, "--checkpoint", folder.PathOf("file-checkpoint"), "--store", folder.PathOf("file.db"), "--lake", folder.PathOf("file-lake")]);
        Assert.Contains("lake events +", fileRun, StringComparison.Ordinal);

        // The first half, then a run; a split of one shard; the second half, then a second run on the same checkpoint.
        string[] kinesisRun = [.. common, "--input", $"kinesis://{stream}", "--checkpoint", folder.PathOf("kinesis-checkpoint"), "--store", folder.PathOf("kinesis.db"), "--lake", folder.PathOf("kinesis-lake")];
        await PutAsync(stream, lines[..(lines.Count / 2)]);
        var first = await JobCommands.RunAsync(new StreamCommand(), kinesisRun);
        Assert.Contains("input rows", first, StringComparison.Ordinal);
        var shards = await _kinesis.ListShardsAsync(stream);
        await _kinesis.SplitShardAsync(stream, shards[0].ShardId, Midpoint(shards[0]));
        await _kinesis.WaitUntilActiveAsync(stream, TimeSpan.FromSeconds(30));
        await PutAsync(stream, lines[(lines.Count / 2)..]);
        await JobCommands.RunAsync(new StreamCommand(), kinesisRun);

        var expected = ExportLines.Split(await JobCommands.ExportTextAsync(folder.PathOf("file.db")), ProcessingTimeFrom);
        var actual = ExportLines.Split(await JobCommands.ExportTextAsync(folder.PathOf("kinesis.db")), ProcessingTimeFrom);
        Assert.True(expected.Deterministic.Count > 200, $"the file run's store has {expected.Deterministic.Count} rows");
        Assert.Equal(expected.Deterministic, actual.Deterministic);

        // A crash after the last batch's sinks ran but before its commit: the restart reads that batch's records from
        // Kinesis again (they are no longer in any reader's memory), finds the store and lake already hold it, and
        // changes nothing.
        var checkpoint = folder.PathOf("kinesis-checkpoint");
        var batches = Directory.GetFiles(Path.Combine(checkpoint, "commits")).Select(f => long.Parse(Path.GetFileName(f), System.Globalization.CultureInfo.InvariantCulture)).Max();
        var last = batches;
        while (last > 0 && OffsetsOf(checkpoint, last - 1) == OffsetsOf(checkpoint, last))
        {
            last--;
        }

        // Batches after it read nothing (they only moved the watermark): as if the crash came before them.
        for (var batch = last; batch <= batches; batch++)
        {
            File.Delete(Path.Combine(checkpoint, "commits", batch.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (batch > last)
            {
                File.Delete(Path.Combine(checkpoint, "offsets", batch.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        var replay = await JobCommands.RunAsync(new StreamCommand(), kinesisRun);
        Assert.Contains("already in the store and skipped", replay, StringComparison.Ordinal);
        Assert.Equal(expected.Deterministic, ExportLines.Split(await JobCommands.ExportTextAsync(folder.PathOf("kinesis.db")), ProcessingTimeFrom).Deterministic);

        // Each batch's progress says how far behind the tip the shards were.
        Assert.Contains("\"metrics\":{\"avgMillisBehindLatest\":", await File.ReadAllTextAsync(Path.Combine(checkpoint, "progress.ndjson")), StringComparison.Ordinal);

        // Each valid event once in the lake, as from the files.
        foreach (var name in new[] { "events", "quarantine" })
        {
            var (_, fromFiles) = await LakeReader.ReadAsync(Path.Combine(folder.PathOf("file-lake"), name));
            var (_, fromKinesis) = await LakeReader.ReadAsync(Path.Combine(folder.PathOf("kinesis-lake"), name));
            Assert.NotEmpty(fromFiles);
            Assert.Equal(fromFiles.Count, fromKinesis.Count);
        }

        var eventIds = (await LakeReader.ReadAsync(Path.Combine(folder.PathOf("kinesis-lake"), "events"))).Rows.Select(r => r["event_id"]).ToList();
        Assert.Equal(eventIds.Count, eventIds.Distinct().Count());

        // The last batch's offsets name the closed parent as done and both children.
        var offsets = OffsetsOf(checkpoint, last);
        Assert.Contains($"\"{shards[0].ShardId}\":{{\"seq\":", offsets, StringComparison.Ordinal);
        Assert.Contains("\"done\":true", offsets, StringComparison.Ordinal);
        Assert.Equal(4, JsonDocument.Parse(offsets).RootElement.GetProperty("shards").EnumerateObject().Count());
    }

    [Fact]
    public async Task ACheckpointOfAnotherStream_IsRefusedWithOneLine()
    {
        using var folder = new TempFolder("kinesis-other");
        var first = "first-" + Guid.NewGuid().ToString("N")[..10];
        var second = "second-" + Guid.NewGuid().ToString("N")[..10];
        foreach (var stream in new[] { first, second })
        {
            await _kinesis.CreateStreamAsync(stream, 1);
            await _kinesis.WaitUntilActiveAsync(stream, TimeSpan.FromSeconds(30));
        }

        await PutAsync(first, [System.Text.Encoding.UTF8.GetBytes("{\"event_id\":\"e1\",\"event_type\":\"page_view\",\"timestamp\":\"2024-03-01T00:00:00Z\",\"user_id\":\"u1\",\"session_id\":\"s1\"}")]);
        string[] run = ["stream", "--checkpoint", folder.PathOf("checkpoint"), "--store", folder.PathOf("store.db"), "--trigger", "available-now", "--quiet"];
        var (code, _, stderr) = await ClickstreamProgram.RunAsync(TimeSpan.FromMinutes(2), [.. run, "--input", $"kinesis://{first}"]);
        Assert.True(code == 0, stderr);

        (code, _, stderr) = await ClickstreamProgram.RunAsync(TimeSpan.FromMinutes(2), [.. run, "--input", $"kinesis://{second}"]);
        Assert.Equal(1, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"the checkpoint's offsets are for Kinesis stream {first}, not {second}; use a new checkpoint for another stream", line, StringComparison.Ordinal);
    }

    private Task PutAsync(string stream, IReadOnlyList<byte[]> lines) => KinesisWriter.PutLinesAsync(_kinesis, stream, lines, linesPerBatch: 200);

    private static string Midpoint(KinesisShard shard) =>
        ((System.Numerics.BigInteger.Parse(shard.StartingHashKey, System.Globalization.CultureInfo.InvariantCulture) + System.Numerics.BigInteger.Parse(shard.EndingHashKey, System.Globalization.CultureInfo.InvariantCulture)) / 2).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The Kinesis source's offset in batch <paramref name="batch"/>'s offsets file of a local checkpoint.</summary>
    private static string OffsetsOf(string checkpoint, long batch) =>
        File.ReadAllLines(Path.Combine(checkpoint, "offsets", batch.ToString(System.Globalization.CultureInfo.InvariantCulture))).Last(l => l.Contains("\"shards\"", StringComparison.Ordinal));
}
