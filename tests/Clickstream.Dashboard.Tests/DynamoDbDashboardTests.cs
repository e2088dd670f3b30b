using System.Globalization;
using Clickstream.Dashboard.Tests.Support;

namespace Clickstream.Dashboard.Tests;

/// <summary>
/// <c>clickstream dashboard --store dynamodb://TABLE</c> (DynamoDB Local) answers exactly what the dashboard over the
/// SQLite store of the same files answers, for every range, and still does after more batches arrive (its partition
/// cache re-reads what they wrote).
/// </summary>
public sealed class DynamoDbDashboardTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan ProgramTimeout = TimeSpan.FromMinutes(3);
    private static readonly string[] Ranges = ["15m", "1h", "6h", "24h"];
    private static readonly string[] SameHealth = ["batch_id", "newest_event_time", "watermark", "watermark_lag_seconds", "events_per_second", "invalid_rate", "duplicate_rate", "late_rate"];
    private readonly TempFolder _folder = new("dashboard-dynamodb");
    private readonly HttpClient _sqliteHttp = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly HttpClient _dynamoHttp = new() { Timeout = TimeSpan.FromSeconds(60) };
    private DashboardProcess? _sqlite;
    private DashboardProcess? _dynamo;
    private string _table = string.Empty;

    private string Landing => _folder.Folder("landing");

    public async Task InitializeAsync()
    {
        _table = await DynamoDbLocal.CreateTableAsync("dashboard");
        await LandAsync("a", Start, minutes: 90, events: 20_000, seed: 9);
        await StreamAsync();
        _sqlite = await DashboardProcess.StartAsync(_folder.PathOf("aggregates.db"), _folder.PathOf("sqlite-checkpoint"));
        _dynamo = await DashboardProcess.StartAsync($"dynamodb://{_table}", _folder.PathOf("ddb-checkpoint"));
        _sqliteHttp.BaseAddress = _sqlite.Url;
        _dynamoHttp.BaseAddress = _dynamo.Url;
    }

    public async Task DisposeAsync()
    {
        foreach (var process in new[] { _sqlite, _dynamo })
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }

        _sqliteHttp.Dispose();
        _dynamoHttp.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Api_EveryRangeAndAfterMoreBatches_EqualsTheSqliteDashboard()
    {
        await AssertSameAsync();

        // More traffic, later and overlapping: the DynamoDB dashboard's cache must give way to the new batches.
        await LandAsync("b", Start.AddMinutes(80), minutes: 30, events: 6_000, seed: 10);
        await StreamAsync();
        await AssertSameAsync();
        var version = await Api.GetAsync(_dynamoHttp, "api/version");
        Assert.Equal(Api.Long((await Api.GetAsync(_sqliteHttp, "api/version"))["batch_id"]), Api.Long(version["batch_id"]));
    }

    private async Task AssertSameAsync()
    {
        foreach (var range in Ranges)
        {
            var expected = await Api.GetAsync(_sqliteHttp, $"api/metrics?range={range}");
            var actual = await Api.GetAsync(_dynamoHttp, $"api/metrics?range={range}");
            Assert.True(expected["has_data"]!.GetValue<bool>());
            Assert.Equal(expected.ToJsonString(), actual.ToJsonString());

            // Twice: the second answer comes from the cache.
            Assert.Equal(expected.ToJsonString(), (await Api.GetAsync(_dynamoHttp, $"api/metrics?range={range}")).ToJsonString());

            var expectedHealth = await Api.GetAsync(_sqliteHttp, $"api/health?range={range}");
            var actualHealth = await Api.GetAsync(_dynamoHttp, $"api/health?range={range}");
            foreach (var field in SameHealth)
            {
                Assert.Equal(expectedHealth[field]?.ToJsonString(), actualHealth[field]?.ToJsonString());
            }
        }
    }

    private async Task LandAsync(string tag, DateTimeOffset start, int minutes, int events, int seed)
    {
        var generated = _folder.Folder("generated-" + tag);
        await RunAsync(
            "generate", "--out", generated, "--events", events.ToString(CultureInfo.InvariantCulture), "--minutes", minutes.ToString(CultureInfo.InvariantCulture),
            "--start", start.ToString("O", CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture), "--files", "3");
        foreach (var file in Directory.GetFiles(generated))
        {
            var staged = Path.Combine(_folder.Folder("staging"), $"{tag}-{Path.GetFileName(file)}");
            File.Copy(file, staged);
            File.Move(staged, Path.Combine(Landing, Path.GetFileName(staged)));
        }
    }

    private async Task StreamAsync()
    {
        string[] common = ["stream", "--input", Landing, "--trigger", "available-now", "--max-files-per-trigger", "1", "--quiet"];
        await RunAsync([.. common, "--checkpoint", _folder.PathOf("sqlite-checkpoint"), "--store", _folder.PathOf("aggregates.db")]);
        await RunAsync([.. common, "--checkpoint", _folder.PathOf("ddb-checkpoint"), "--store", $"dynamodb://{_table}"]);
    }

    private static async Task RunAsync(params string[] args)
    {
        var (code, stdout, stderr) = await ClickstreamProgram.RunAsync(ProgramTimeout, args);
        Assert.True(code == 0, $"clickstream {string.Join(' ', args)} exited with {code}:\n{stdout}\n{stderr}");
    }
}
