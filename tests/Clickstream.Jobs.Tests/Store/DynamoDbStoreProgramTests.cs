using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Clickstream.Jobs.Tests.Support;
using Xunit.Abstractions;

namespace Clickstream.Jobs.Tests.Store;

/// <summary>
/// The real <c>clickstream</c> program with <c>--store dynamodb://TABLE</c> on DynamoDB Local: <c>stream</c> gives the
/// export and the metrics that <c>--store FILE</c> gives for the same files, a rerun changes nothing, <c>up</c> works on
/// it, and a table that cannot be used fails every command at start with one line naming it.
/// </summary>
public sealed partial class DynamoDbStoreProgramTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly DateTimeOffset GeneratedStart = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Stream_IntoDynamoDb_ExportAndMetricsEqualTheSqliteRun()
    {
        using var folder = new TempFolder("ddb-stream");
        var input = folder.PathOf("input");
        await JobCommands.GenerateAsync("--out", input, "--events", "30000", "--files", "5", "--seed", "77", "--minutes", "15", "--late-rate", "0.02", "--invalid-rate", "0.02", "--duplicate-rate", "0.03");
        var table = await DynamoDbLocal.CreateTableAsync("stream");
        var store = $"dynamodb://{table}";

        string[] common = ["stream", "--input", input, "--trigger", "available-now", "--max-files-per-trigger", "1", "--quiet"];
        await RunAsync([.. common, "--checkpoint", folder.PathOf("sqlite-checkpoint"), "--store", folder.PathOf("store.db")]);
        var streamed = await RunAsync([.. common, "--checkpoint", folder.PathOf("ddb-checkpoint"), "--store", store]);
        Assert.Contains("6 batches", streamed, StringComparison.Ordinal);

        // Invalid events without a readable time count at the batch's processing time, which differs between runs.
        var processingTime = GeneratedStart.AddDays(1);
        var expected = ExportLines.Split(await RunAsync("export", "--store", folder.PathOf("store.db")), processingTime);
        var actual = ExportLines.Split(await RunAsync("export", "--store", store), processingTime);
        Assert.True(expected.Deterministic.Count > 1000, $"the SQLite store has {expected.Deterministic.Count} rows");
        Assert.Equal(expected.Deterministic, actual.Deterministic);
        Assert.Equal(expected.InvalidAtProcessingTime, actual.InvalidAtProcessingTime);

        string[] ranges = ["--format json", $"--from {Iso(GeneratedStart)} --to {Iso(GeneratedStart.AddMinutes(15))} --format json", "--format table"];
        foreach (var range in ranges)
        {
            var sqlite = await RunAsync(["metrics", "--store", folder.PathOf("store.db"), .. range.Split(' ')]);
            Assert.Equal(sqlite, await RunAsync(["metrics", "--store", store, .. range.Split(' ')]));
            Assert.Contains("events", sqlite, StringComparison.OrdinalIgnoreCase);
        }

        // A rerun on the same checkpoint finds nothing new and changes nothing.
        await RunAsync([.. common, "--checkpoint", folder.PathOf("ddb-checkpoint"), "--store", store]);
        Assert.Equal(actual.Deterministic, ExportLines.Split(await RunAsync("export", "--store", store), processingTime).Deterministic);
    }

    [Fact]
    public async Task Up_WithADynamoDbStore_StoresWhatTheSameFilesGiveAndServesIt()
    {
        using var folder = new TempFolder("ddb-up");
        var input = folder.PathOf("input");
        await JobCommands.GenerateAsync("--out", input, "--events", "5000", "--files", "1", "--seed", "5", "--late-rate", "0", "--invalid-rate", "0", "--duplicate-rate", "0");
        var lines = EventFiles.InJobOrder(input).SelectMany(EventFiles.ReadLines).Select(l => l.Bytes).ToList();
        var table = await DynamoDbLocal.CreateTableAsync("up");

        var data = folder.PathOf("data");
        using var up = ClickstreamProgram.Start("up", "--data", data, "--collector-port", "0", "--dashboard-port", "0", "--write-key", "k-7", "--trigger", "1s", "--store", $"dynamodb://{table}");
        var stderr = up.StandardError.ReadToEndAsync();
        var (collector, dashboard) = await ReadUrlsAsync(up);
        using (var http = new HttpClient { BaseAddress = collector })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "k-7");
            foreach (var request in lines.Chunk(250))
            {
                using var content = new ByteArrayContent([.. request.SelectMany(l => l.Append((byte)'\n'))]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                using var response = await http.PostAsync("v1/events", content);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }
        }

        var checkpoint = Path.Combine(data, "checkpoint");
        var clock = Stopwatch.StartNew();
        while (ReadRows(checkpoint) < lines.Count && clock.Elapsed < Timeout)
        {
            await Task.Delay(250);
        }

        Assert.Equal(lines.Count, ReadRows(checkpoint));

        // The dashboard of `up` reads the same table.
        using (var http = new HttpClient { BaseAddress = dashboard })
        {
            var metrics = JsonNode.Parse(await http.GetStringAsync(new Uri("api/metrics?range=24h", UriKind.Relative)))!;
            Assert.Equal(lines.Count, metrics["events"]!.GetValue<long>());
        }

        using (var kill = Process.Start("kill", ["-TERM", up.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await up.WaitForExitAsync();
        output.WriteLine(await up.StandardOutput.ReadToEndAsync());
        Assert.True(up.ExitCode == 0, await stderr);
        Assert.False(File.Exists(Path.Combine(data, "aggregates.db")), "up wrote a SQLite store although --store named a table");

        await RunAsync("stream", "--input", input, "--checkpoint", folder.PathOf("reference-checkpoint"), "--store", folder.PathOf("reference.db"), "--trigger", "available-now", "--quiet");
        var expected = await RunAsync("export", "--store", folder.PathOf("reference.db"));
        var actual = await RunAsync("export", "--store", $"dynamodb://{table}");
        Assert.Equal(Sorted(expected), Sorted(actual));
    }

    [Theory]
    [InlineData("stream")]
    [InlineData("export")]
    [InlineData("metrics")]
    [InlineData("dashboard")]
    public async Task Command_MissingTable_FailsAtStartWithOneLineNamingIt(string command)
    {
        using var folder = new TempFolder("ddb-missing");
        var input = folder.Folder("input");
        var missing = DynamoDbLocal.NewTableName("missing");
        _ = DynamoDbLocal.Settings;
        string[] args = command switch
        {
            "stream" => ["stream", "--input", input, "--checkpoint", folder.PathOf("checkpoint"), "--store", $"dynamodb://{missing}", "--trigger", "available-now"],
            "dashboard" => ["dashboard", "--store", $"dynamodb://{missing}", "--port", "0"],
            _ => [command, "--store", $"dynamodb://{missing}"],
        };

        var (code, _, stderr) = await ClickstreamProgram.RunAsync(TimeSpan.FromMinutes(1), args);

        Assert.Equal(1, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"clickstream {command}: error: --store dynamodb://{missing}: the table {missing} does not exist", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder.PathOf("checkpoint"), "offsets")), "a batch was planned before the store was checked");
    }

    [Theory]
    [InlineData("dynamodb://ab", "a DynamoDB table name has 3 to 255")]
    [InlineData("dynamodb://table?ttl=forever", "ttl must be a duration")]
    [InlineData("dynamodb://table?colour=red", "unknown setting 'colour'")]
    [InlineData("redis://table", "unsupported location")]
    public async Task Export_MalformedLocation_IsAUsageErrorNamingIt(string location, string message)
    {
        var (code, _, stderr) = await ClickstreamProgram.RunAsync(TimeSpan.FromMinutes(1), "export", "--store", location);
        Assert.Equal(2, code);
        Assert.StartsWith($"clickstream export: --store {location}: ", stderr, StringComparison.Ordinal);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(params string[] args)
    {
        var (code, stdout, stderr) = await ClickstreamProgram.RunAsync(Timeout, args);
        Assert.True(code == 0, $"clickstream {string.Join(' ', args)} exited with {code}:\n{stdout}\n{stderr}");
        return stdout;
    }

    private static List<string> Sorted(string export) => [.. export.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static long ReadRows(string checkpoint) =>
        File.Exists(Path.Combine(checkpoint, "progress.ndjson")) ? CheckpointReader.ReportedInputRows(checkpoint) : 0;

    private static async Task<(Uri Collector, Uri Dashboard)> ReadUrlsAsync(Process up)
    {
        Uri? collector = null;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Timeout)
        {
            var line = await up.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("clickstream up exited before printing its URLs");
            if (CollectorLine().Match(line) is { Success: true } c)
            {
                collector = new Uri(c.Groups[1].Value);
            }
            else if (DashboardLine().Match(line) is { Success: true } d && collector is not null)
            {
                return (collector, new Uri(d.Groups[1].Value));
            }
        }

        throw new TimeoutException("clickstream up printed no URLs");
    }

    [GeneratedRegex(@"collector\s+(http://[^\s]+/)v1/events")]
    private static partial Regex CollectorLine();

    [GeneratedRegex(@"dashboard\s+(http://[^\s]+/)")]
    private static partial Regex DashboardLine();
}
