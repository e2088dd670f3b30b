using Clickstream.Engine.Execution;
using Clickstream.Engine.Sinks;
using Clickstream.Engine.Sources;
using Clickstream.Jobs.Streaming;
using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.Store;

/// <summary>
/// The store rows the real job emits, batch by batch, for generated events (one file per batch, then the no-data
/// batch), recorded once per test run so that every store under test gets exactly the same batches.
/// </summary>
internal static class RecordedBatches
{
    public static readonly DateTimeOffset Committed = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private static readonly Lazy<Task<IReadOnlyList<(long BatchId, IReadOnlyList<StoreRow> Rows)>>> Generated = new(() => RecordAsync(
        "--events", "12000", "--files", "4", "--seed", "23", "--minutes", "20", "--late-rate", "0.03", "--invalid-rate", "0.02", "--duplicate-rate", "0.03"));

    /// <summary>20 minutes of generated traffic in 4 batches and the no-data batch after them.</summary>
    public static Task<IReadOnlyList<(long BatchId, IReadOnlyList<StoreRow> Rows)>> GetAsync() => Generated.Value;

    public static async Task<IReadOnlyList<(long BatchId, IReadOnlyList<StoreRow> Rows)>> RecordAsync(params string[] generateArgs)
    {
        using var folder = new TempFolder("recorded-batches");
        var input = folder.PathOf("input");
        await JobCommands.GenerateAsync([.. generateArgs, "--out", input]);
        var batches = new List<(long, IReadOnlyList<StoreRow>)>();
        var source = new FileSource<JobInput>(input, () => new EventLineDecoder(), new FileSourceOptions { MaxFilesPerTrigger = 1 });
        var store = new ForeachBatchSink<StoreRow>((id, rows) => batches.Add((id, [.. rows])));
        var quarantine = new ForeachBatchSink<InvalidRecord>((_, _) => { });
        var definition = ClickstreamJob.Build(source, 10 * 60_000, quarantine, store);
        using var query = StreamingQuery.Start(definition, new QueryOptions { CheckpointPath = folder.PathOf("checkpoint") });
        await query.RunAsync(Trigger.AvailableNow, CancellationToken.None);
        return batches;
    }
}
