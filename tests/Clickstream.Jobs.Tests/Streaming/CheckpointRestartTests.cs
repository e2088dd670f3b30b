using Clickstream.Jobs.Streaming;
using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>
/// Restarting <c>clickstream stream</c> on its checkpoint continues where it stopped: files already processed are
/// never read again, and new files are processed once.
/// </summary>
public sealed class CheckpointRestartTests
{
    // Event times of the generated data lie around this day; processing times are the wall clock, much later.
    private const string Start = "2024-03-01T00:00:00Z";
    private static readonly DateTimeOffset ProcessingTimeFrom = new(2024, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Stream_StoppedAfterSomeFilesThenMoreFilesAdded_ExportEqualsSingleRun()
    {
        using var folder = new TempFolder("restart");
        var staging = folder.PathOf("staging");
        var input = folder.Folder("input");
        await JobCommands.GenerateAsync("--out", staging, "--events", "20000", "--files", "6", "--start", Start, "--duplicate-rate", "0.04", "--invalid-rate", "0.02", "--late-rate", "0.02");
        var staged = EventFiles.InJobOrder(staging);
        MoveToInput(staged.Take(3), input);
        var checkpoint = folder.PathOf("checkpoint");
        var store = folder.PathOf("store.db");
        string[] each = ["--input", input, "--checkpoint", checkpoint, "--store", store, "--max-files-per-trigger", "1"];

        // Three runs of one batch each, stopped by the trigger; then more files arrive and a run takes them all.
        for (var run = 0; run < 3; run++)
        {
            await JobCommands.RunAsync(new StreamCommand(), [.. each, "--trigger", "once"]);
            Assert.Equal(run + 1, CheckpointReader.CommitCount(checkpoint));
        }

        MoveToInput(staged.Skip(3), input);
        await JobCommands.RunAsync(new StreamCommand(), [.. each, "--trigger", "available-now"]);

        var single = folder.PathOf("single");
        await JobCommands.StreamEachFileAsync(input, Path.Combine(single, "checkpoint"), Path.Combine(single, "store.db"));

        var files = EventFiles.InJobOrder(input);
        StreamScenario.AssertBatching(files, CheckpointReader.Batches(checkpoint));
        Assert.Equal(files.Sum(f => EventFiles.ReadLines(f).Count), CheckpointReader.ReportedInputRows(checkpoint));
        var restarted = ExportLines.Split(await JobCommands.ExportTextAsync(store), ProcessingTimeFrom);
        var once = ExportLines.Split(await JobCommands.ExportTextAsync(Path.Combine(single, "store.db")), ProcessingTimeFrom);
        Assert.Equal(once.Deterministic, restarted.Deterministic);
        Assert.Equal(once.InvalidAtProcessingTime, restarted.InvalidAtProcessingTime);
        Assert.True(restarted.InvalidAtProcessingTime > 0, "the data should have invalid lines without a readable timestamp");
        Assert.Equal(
            CheckpointReader.Quarantine(Path.Combine(single, "checkpoint")).Select(q => (q.BatchId, q.Offset, q.Raw)),
            CheckpointReader.Quarantine(checkpoint).Select(q => (q.BatchId, q.Offset, q.Raw)));
    }

    [Fact]
    public async Task Stream_AvailableNowRunThenMoreFiles_MatchesReferenceModelWithNoDataBatches()
    {
        using var folder = new TempFolder("restart-model");
        var staging = folder.PathOf("staging");
        var input = folder.Folder("input");
        await JobCommands.GenerateAsync("--out", staging, "--events", "12000", "--files", "6", "--seed", "3", "--duplicate-rate", "0.05", "--late-rate", "0.03");
        var staged = EventFiles.InJobOrder(staging);
        var checkpoint = folder.PathOf("checkpoint");
        var store = folder.PathOf("store.db");

        MoveToInput(staged.Take(3), input);
        await JobCommands.StreamEachFileAsync(input, checkpoint, store);
        MoveToInput(staged.Skip(3), input);
        await JobCommands.StreamEachFileAsync(input, checkpoint, store);

        // Each run ends with a no-data batch, because its data moved the watermark.
        var files = EventFiles.InJobOrder(input);
        var batches = CheckpointReader.Batches(checkpoint);
        Assert.Equal(
            new[] { [files[0]], [files[1]], [files[2]], [], [files[3]], [files[4]], [files[5]], Array.Empty<string>() },
            batches.Select(b => b.Files.ToArray()));
        var model = ReferenceModel.Run([.. batches.Select(b => new ModelBatch(b.BatchId, b.TimestampMs, [.. b.Files.SelectMany(EventFiles.ReadLines)]))]);
        Assert.Equal(model.BatchWatermarksMs, batches.Select(b => b.WatermarkMs).ToList());
        ExportAssert.Matches(model.Rows, await JobCommands.ExportAsync(store));
    }

    private static void MoveToInput(IEnumerable<string> files, string input)
    {
        foreach (var file in files)
        {
            File.Move(file, Path.Combine(input, Path.GetFileName(file)));
        }
    }
}
