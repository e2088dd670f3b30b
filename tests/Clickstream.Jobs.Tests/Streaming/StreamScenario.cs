using System.Text;
using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>
/// The harness every scenario runs through: writes the files (file i is batch i), runs <c>stream</c> with one file
/// per trigger, exports the store, and runs the reference model over the batches the checkpoint shows. Holds both
/// results so that a test can compare them and also check the few numbers its rule is about.
/// </summary>
internal sealed class StreamScenario : IDisposable
{
    private readonly TempFolder _folder;

    private StreamScenario(TempFolder folder, IReadOnlyList<string> files, long delayMs)
    {
        _folder = folder;
        Files = files;
        DelayMs = delayMs;
    }

    public IReadOnlyList<string> Files { get; }

    public long DelayMs { get; }

    public string Input => _folder.PathOf("input");

    public string Checkpoint => _folder.PathOf("checkpoint");

    public string Store => _folder.PathOf("store.db");

    public IReadOnlyList<CheckpointBatch> Batches { get; private set; } = [];

    public IReadOnlyList<ExportRow> Export { get; private set; } = [];

    public IReadOnlyList<QuarantineRecord> Quarantine { get; private set; } = [];

    public ModelResult Expected { get; private set; } = null!;

    /// <summary>Runs a scenario of text files, one string per line.</summary>
    public static Task<StreamScenario> RunAsync(params string[][] files) => RunAsync(null, files);

    /// <summary>Runs a scenario with a <c>--watermark</c> delay such as <c>10s</c> (null: the default, 10 minutes).</summary>
    public static Task<StreamScenario> RunAsync(string? watermark, params string[][] files) =>
        RunAsync(watermark, [.. files.Select(lines => Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))))]);

    /// <summary>Runs a scenario of files given byte for byte.</summary>
    public static async Task<StreamScenario> RunAsync(string? watermark, IReadOnlyList<byte[]> files)
    {
        var folder = new TempFolder("scenario");
        var input = folder.Folder("input");
        var paths = files.Select((content, i) => Path.GetFullPath(EventFiles.WriteBytes(input, i, content))).ToList();
        var scenario = new StreamScenario(folder, paths, watermark is null ? ReferenceModel.DefaultDelayMs : DelayOf(watermark));
        try
        {
            await scenario.RunJobAsync(watermark);
            return scenario;
        }
        catch
        {
            scenario.Dispose();
            throw;
        }
    }

    /// <summary>The job's value of one row, or 0 when it exported no such row.</summary>
    public long Actual(string metric, string window, string? key = null)
    {
        var start = EventJson.Micros(window);
        return Export.FirstOrDefault(r => r.Metric == metric && r.WindowStartMicros == start && r.Key == key)?.Value ?? 0;
    }

    /// <summary>The model's value of one row, or 0.</summary>
    public long Model(string metric, string window, string? key = null) => Expected.Value(metric, EventJson.Micros(window), key);

    /// <summary>
    /// Checks that the job batched one file per batch (plus at most one trailing no-data batch), that each batch ran
    /// with the watermark the model computes, and that the export and the quarantine reasons equal the model's.
    /// </summary>
    public void AssertMatchesModel()
    {
        AssertBatching(Files, Batches);
        Assert.Equal(Expected.BatchWatermarksMs, Batches.Select(b => b.WatermarkMs).ToList());
        ExportAssert.Matches(Expected.Rows, Export);
        Assert.Equal(
            Expected.Invalid.Select(i => (i.BatchId, i.Reason, i.Line.Offset)).ToList(),
            Quarantine.Select(q => (q.BatchId, q.Reason, q.Offset)).ToList());
    }

    /// <summary>Batch i read exactly file i; a last batch beyond the files read nothing (the no-data batch).</summary>
    public static void AssertBatching(IReadOnlyList<string> files, IReadOnlyList<CheckpointBatch> batches)
    {
        Assert.InRange(batches.Count, files.Count, files.Count + 1);
        for (var i = 0; i < batches.Count; i++)
        {
            IReadOnlyList<string> expected = i < files.Count ? [files[i]] : [];
            Assert.Equal(expected, batches[i].Files);
        }
    }

    public void Dispose() => _folder.Dispose();

    private static long DelayOf(string watermark)
    {
        var unit = watermark[^1] switch
        {
            's' => 1000L,
            'm' => 60_000L,
            'h' => 3_600_000L,
            _ => throw new ArgumentException($"use a delay such as 10s, 5m or 1h, not {watermark}", nameof(watermark)),
        };
        return long.Parse(watermark[..^1], System.Globalization.CultureInfo.InvariantCulture) * unit;
    }

    private async Task RunJobAsync(string? watermark)
    {
        await JobCommands.StreamEachFileAsync(Input, Checkpoint, Store, watermark);
        Export = await JobCommands.ExportAsync(Store);
        Batches = CheckpointReader.Batches(Checkpoint);
        Quarantine = CheckpointReader.Quarantine(Checkpoint);
        Expected = ReferenceModel.Run(ReferenceModel.OneFilePerBatch(Files, Batches), DelayMs);
    }
}
