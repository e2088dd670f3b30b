using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>
/// One store built from generated data (one file per batch), shared by the tests of a class, with its export and
/// the reference model's result over the same batches.
/// </summary>
public sealed class GeneratedStoreFixture : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new("generated-store");

    internal string Store => _folder.PathOf("store.db");

    internal IReadOnlyList<ExportRow> Export { get; private set; } = [];

    internal ModelResult Expected { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var input = _folder.PathOf("input");
        var checkpoint = _folder.PathOf("checkpoint");
        await JobCommands.GenerateAsync("--out", input, "--events", "20000", "--files", "5", "--seed", "11", "--minutes", "12", "--late-rate", "0.02", "--invalid-rate", "0.02");
        await JobCommands.StreamEachFileAsync(input, checkpoint, Store);
        Export = await JobCommands.ExportAsync(Store);
        Expected = ReferenceModel.Run(ReferenceModel.OneFilePerBatch(EventFiles.InJobOrder(input), CheckpointReader.Batches(checkpoint)));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();
}
