namespace Clickstream.Dashboard.Tests.Support;

/// <summary>
/// A store made by the real program: <c>clickstream generate</c> writes 90 minutes of events, <c>clickstream stream</c>
/// (available-now) aggregates them, and <c>clickstream dashboard</c> serves the store with the job's checkpoint.
/// <see cref="AppendEventsAsync"/> lands more events and streams them into the same store, as a live job would.
/// </summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan ProgramTimeout = TimeSpan.FromMinutes(3);
    private readonly TempFolder _folder = new("dashboard-tests");
    private DashboardProcess? _dashboard;
    private int _appended;

    public string Store => _folder.PathOf("aggregates.db");

    public string Checkpoint => _folder.PathOf("checkpoint");

    public string Landing => _folder.Folder("landing");

    public Uri Url => _dashboard!.Url;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Temp => _folder.Root;

    public async Task InitializeAsync()
    {
        await LandAsync("a", Start, minutes: 90, events: 30_000, seed: 7);
        await StreamAsync();
        _dashboard = await DashboardProcess.StartAsync(Store, Checkpoint);
        Http.BaseAddress = _dashboard.Url;
    }

    /// <summary>Generates events starting at <paramref name="start"/>, lands them next to the others and streams them.</summary>
    public async Task AppendEventsAsync(DateTimeOffset start, int minutes, int events)
    {
        var tag = "more" + Interlocked.Increment(ref _appended);
        await LandAsync(tag, start, minutes, events, seed: 100 + _appended);
        await StreamAsync();
    }

    public async Task DisposeAsync()
    {
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }

        Http.Dispose();
        _folder.Dispose();
    }

    private async Task LandAsync(string tag, DateTimeOffset start, int minutes, int events, int seed)
    {
        var generated = _folder.Folder("generated-" + tag);
        await RunAsync("generate", "--out", generated, "--events", events.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--minutes", minutes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--start", start.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--files", "2");

        // Files appear in the landing folder whole (written aside, then moved), as a collector delivers them.
        foreach (var file in Directory.GetFiles(generated))
        {
            var staged = Path.Combine(_folder.Folder("staging"), $"{tag}-{Path.GetFileName(file)}");
            File.Copy(file, staged);
            File.Move(staged, Path.Combine(Landing, Path.GetFileName(staged)));
        }
    }

    private Task StreamAsync() =>
        RunAsync("stream", "--input", Landing, "--checkpoint", Checkpoint, "--store", Store, "--trigger", "available-now");

    private static async Task RunAsync(params string[] args)
    {
        var (code, stdout, stderr) = await ClickstreamProgram.RunAsync(ProgramTimeout, args);
        Assert.True(code == 0, $"clickstream {string.Join(' ', args)} exited with {code}:\n{stdout}\n{stderr}");
    }
}
