using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>
/// The job's export over generated data (retries, invalid and late lines included) against the reference model:
/// every metric of every window exact, active users within 2%.
/// </summary>
public sealed class GeneratedDataTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stream_GeneratedFiles_ExportMatchesReferenceModel(bool gzip)
    {
        using var folder = new TempFolder("generated");
        var input = folder.PathOf("input");
        var checkpoint = folder.PathOf("checkpoint");
        var store = folder.PathOf("store.db");
        string[] generate = ["--out", input, "--events", "20000", "--files", "6", "--seed", "7", "--duplicate-rate", "0.05", "--invalid-rate", "0.03", "--late-rate", "0.03"];
        await JobCommands.GenerateAsync(gzip ? [.. generate, "--gzip"] : generate);

        await JobCommands.StreamEachFileAsync(input, checkpoint, store);

        var files = EventFiles.InJobOrder(input);
        Assert.Equal(6, files.Count);
        Assert.All(files, f => Assert.Equal(gzip, f.EndsWith(".gz", StringComparison.Ordinal)));
        var batches = CheckpointReader.Batches(checkpoint);
        StreamScenario.AssertBatching(files, batches);
        var expected = ReferenceModel.Run(ReferenceModel.OneFilePerBatch(files, batches));
        Assert.Equal(expected.BatchWatermarksMs, batches.Select(b => b.WatermarkMs).ToList());

        // The data exercises every rule: otherwise a match would prove little.
        foreach (var metric in new[] { "events", "page_views", "top_products", "funnel", "active_users", "late", "duplicates", "invalid" })
        {
            Assert.True(expected.Of(metric).Sum(r => r.Value) > 0, $"the generated data has no {metric}");
        }

        ExportAssert.Matches(expected.Rows, await JobCommands.ExportAsync(store));
        Assert.Equal(
            expected.Invalid.GroupBy(i => i.Reason).ToDictionary(g => g.Key, g => g.Count()),
            CheckpointReader.Quarantine(checkpoint).GroupBy(q => q.Reason).ToDictionary(g => g.Key, g => g.Count()));
    }
}
