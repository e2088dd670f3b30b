using System.Globalization;
using Clickstream.Jobs.Tests.Support;
using Xunit.Abstractions;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>
/// Exactly-once under SIGKILL: the built program is killed again and again part-way through a run and restarted on
/// the same checkpoint and store; the store it ends with must equal the store of one uninterrupted run.
/// </summary>
public sealed class KillRestartTests(ITestOutputHelper output)
{
    private const int Files = 30;
    private const int FilesPerBatch = 1;
    private const int DataBatches = Files / FilesPerBatch;
    private const int MinimumKills = 8;

    // Event times lie around this day; batches run at the wall clock, much later.
    private const string Start = "2024-03-01T00:00:00Z";
    private static readonly DateTimeOffset ProcessingTimeFrom = new(2024, 3, 2, 0, 0, 0, TimeSpan.Zero);

    // Each killed run is killed this long after it planned its first batch (wrote a new offsets/N): a fixed
    // sequence, tied to progress rather than to the clock, so kills land mid-run however fast the machine is.
    private static readonly int[] KillAfterMs = [0, 15, 40, 5, 80, 25, 120, 10, 60, 30, 200, 1];

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stream_KilledRepeatedlyThenCompleted_StoreEqualsUninterruptedRun(bool lake)
    {
        using var folder = new TempFolder("kill");
        var input = folder.PathOf("input");
        await JobCommands.GenerateAsync("--out", input, "--events", "300000", "--files", Files.ToString(CultureInfo.InvariantCulture), "--start", Start, "--invalid-rate", "0.01", "--late-rate", "0.01");

        var reference = Paths(folder, "uninterrupted", lake);
        var (code, _, stderr) = await ClickstreamProgram.RunAsync(RunTimeout, reference.Args);
        Assert.True(code == 0, stderr);
        Assert.Equal(DataBatches, CheckpointReader.Batches(reference.Checkpoint).Count(b => b.Files.Count > 0));

        var killed = Paths(folder, "killed", lake);
        var commitsAtKill = new List<int>();
        for (var attempt = 0; commitsAtKill.Count < MinimumKills && attempt < 5 * MinimumKills; attempt++)
        {
            var plannedBefore = CheckpointReader.OffsetCount(killed.Checkpoint);
            using var process = ClickstreamProgram.Start(killed.Args);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (await ProgramProcess.PlansOrExitsAsync(process, () => Task.FromResult(CheckpointReader.OffsetCount(killed.Checkpoint)), plannedBefore, RunTimeout, 2) || await ProgramProcess.ExitsWithinAsync(process, KillAfterMs[attempt % KillAfterMs.Length]))
            {
                await stdout;
                Assert.True(process.ExitCode == 0, await errors);
                continue;
            }

            process.Kill(); // SIGKILL: no chance to clean up.
            await process.WaitForExitAsync();
            await Task.WhenAll(stdout, errors);
            commitsAtKill.Add(CheckpointReader.CommitCount(killed.Checkpoint));
        }

        var (finalCode, _, finalErrors) = await ClickstreamProgram.RunAsync(RunTimeout, killed.Args);
        Assert.True(finalCode == 0, finalErrors);

        // How far each killed run got depends on the machine's speed and load; what matters is that runs were
        // killed before the data was done, so the final store was built across crashes and replays.
        var summary = string.Join(", ", commitsAtKill);
        output.WriteLine($"{commitsAtKill.Count} kills; commits at each kill: {summary} (of {DataBatches} data batches)");
        Assert.True(commitsAtKill.Count >= MinimumKills, $"only {commitsAtKill.Count} runs were still running when killed (commits at kill: {summary})");
        Assert.True(commitsAtKill[0] < DataBatches, $"the first kill came after all {DataBatches} data batches (commits at kill: {summary})");
        Assert.Equal(DataBatchFiles(reference.Checkpoint), DataBatchFiles(killed.Checkpoint));

        var expected = ExportLines.Split(await JobCommands.ExportTextAsync(reference.Store), ProcessingTimeFrom);
        var actual = ExportLines.Split(await JobCommands.ExportTextAsync(killed.Store), ProcessingTimeFrom);
        Assert.True(expected.Deterministic.Count > 1000, "the uninterrupted run should export many rows");
        Assert.Equal(expected.Deterministic, actual.Deterministic);
        Assert.Equal(expected.InvalidAtProcessingTime, actual.InvalidAtProcessingTime);
        if (lake)
        {
            await AssertSameLakeAsync(reference.Lake!, killed.Lake!);
        }
        else
        {
            AssertSameQuarantine(reference.Checkpoint, killed.Checkpoint);
        }
    }

    /// <summary>
    /// Each event is in the killed run's events table exactly once (<c>count(*) = count(distinct event_id)</c>), and
    /// both tables hold the same rows as the uninterrupted run's.
    /// </summary>
    private static async Task AssertSameLakeAsync(string expectedLake, string actualLake)
    {
        var (_, expected) = await LakeReader.ReadAsync(Path.Combine(expectedLake, "events"));
        var (_, actual) = await LakeReader.ReadAsync(Path.Combine(actualLake, "events"));
        var ids = actual.Select(r => (string)r["event_id"]!).ToList();
        Assert.True(expected.Count > 250_000, $"the uninterrupted run stored {expected.Count} events");
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(expected.Select(r => (string)r["event_id"]!).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));

        var (_, expectedBad) = await LakeReader.ReadAsync(Path.Combine(expectedLake, "quarantine"));
        var (_, actualBad) = await LakeReader.ReadAsync(Path.Combine(actualLake, "quarantine"));
        static IEnumerable<string> Keys(List<Dictionary<string, object?>> rows) =>
            rows.Select(r => $"{r["batch_id"]}|{r["source_file"]}|{r["source_offset"]}|{r["reason"]}|{r["raw_text"]}").Order(StringComparer.Ordinal);
        Assert.NotEmpty(expectedBad);
        Assert.Equal(Keys(expectedBad), Keys(actualBad));
    }

    /// <summary>The files of each data batch, by batch id: replays must not change what a batch reads.</summary>
    private static List<(long BatchId, string Files)> DataBatchFiles(string checkpoint) =>
        [.. CheckpointReader.Batches(checkpoint).Where(b => b.Files.Count > 0).Select(b => (b.BatchId, string.Join(",", b.Files)))];

    /// <summary>Batches are planned identically in both runs, so each batch's quarantine file is identical too.</summary>
    private static void AssertSameQuarantine(string expectedCheckpoint, string actualCheckpoint)
    {
        static Dictionary<string, byte[]> Files(string checkpoint) =>
            Directory.GetFiles(Path.Combine(checkpoint, "quarantine"), "batch-*.ndjson")
                .ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal);

        var expected = Files(expectedCheckpoint);
        var actual = Files(actualCheckpoint);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"quarantine/{name} differs");
        }
    }

    private static (string Checkpoint, string Store, string? Lake, string[] Args) Paths(TempFolder folder, string name, bool withLake)
    {
        var checkpoint = folder.PathOf(name + "-checkpoint");
        var store = folder.PathOf(name + ".db");
        var lake = withLake ? folder.PathOf(name + "-lake") : null;
        string[] args =
        [
            "stream", "--input", folder.PathOf("input"), "--checkpoint", checkpoint, "--store", store,
            "--trigger", "available-now", "--max-files-per-trigger", FilesPerBatch.ToString(CultureInfo.InvariantCulture), "--quiet",
            .. lake is null ? Array.Empty<string>() : ["--lake", lake],
        ];
        return (checkpoint, store, lake, args);
    }
}
