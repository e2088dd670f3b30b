using Clickstream.Delta.Table;
using Clickstream.Jobs.Tests.Streaming;
using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.RawTables;

/// <summary>
/// Two stream jobs (two processes, each with its own input and checkpoint) append to the same lake tables at the
/// same time: every commit of both lands, no version is written twice, nothing is lost or duplicated.
/// </summary>
public sealed class ConcurrentWritersTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task TwoProcesses_AppendingToOneTable_BothLand()
    {
        using var folder = new TempFolder("lake-concurrent");
        var lake = folder.PathOf("lake");
        var jobs = new[] { "a", "b" };
        foreach (var (job, seed) in jobs.Select((j, i) => (j, 100 + i)))
        {
            await JobCommands.GenerateAsync("--out", folder.PathOf(job + "/input"), "--events", "12000", "--files", "12", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--invalid-rate", "0.02");
        }

        // Both tables exist before the race, so both jobs race on appends only.
        var (warmCode, _, warmErrors) = await ClickstreamProgram.RunAsync(RunTimeout, Args(folder, "warmup", lake, maxFiles: "1"));
        Assert.True(warmCode == 0, warmErrors);

        var runs = jobs.Select(job => ClickstreamProgram.RunAsync(RunTimeout, Args(folder, job, lake, maxFiles: "1"))).ToList();
        foreach (var (code, _, stderr) in await Task.WhenAll(runs))
        {
            Assert.True(code == 0, stderr);
        }

        var table = DeltaTable.OpenLocal(Path.Combine(lake, "events"));
        var history = await table.HistoryAsync();
        var versions = history.Select(h => h.Version).Order().ToList();
        Assert.Equal(Enumerable.Range(0, versions.Count).Select(v => (long)v), versions);

        var queries = jobs.Select(job => CheckpointReader.QueryId(folder.PathOf(job + "/checkpoint"))).ToList();
        foreach (var (job, query) in jobs.Zip(queries))
        {
            var commits = history.Where(h => h.Transaction?.AppId == query).ToList();
            Assert.Equal(12, commits.Count);
            Assert.Equal(commits.Count, commits.Select(c => c.Transaction!.Version).Distinct().Count());
        }

        var expected = new List<string>();
        foreach (var job in jobs)
        {
            var checkpoint = folder.PathOf(job + "/checkpoint");
            var model = ReferenceModel.Run(ReferenceModel.OneFilePerBatch(EventFiles.InJobOrder(folder.PathOf(job + "/input")), CheckpointReader.Batches(checkpoint)));
            expected.AddRange(model.KeptEventIds);
        }

        var (_, rows) = await LakeReader.ReadAsync(Path.Combine(lake, "events"));
        var ids = rows.Select(r => (string)r["event_id"]!).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));

        var quarantineVersions = (await DeltaTable.OpenLocal(Path.Combine(lake, "quarantine")).HistoryAsync()).Select(h => h.Version).Order().ToList();
        Assert.Equal(Enumerable.Range(0, quarantineVersions.Count).Select(v => (long)v), quarantineVersions);
    }

    private static string[] Args(TempFolder folder, string job, string lake, string maxFiles)
    {
        var input = folder.PathOf(job + "/input");
        Directory.CreateDirectory(input);
        return ["stream", "--input", input, "--checkpoint", folder.PathOf(job + "/checkpoint"), "--store", folder.PathOf(job + "/store.db"), "--lake", lake, "--trigger", "available-now", "--max-files-per-trigger", maxFiles, "--quiet"];
    }
}
