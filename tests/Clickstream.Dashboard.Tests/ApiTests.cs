using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Clickstream.Dashboard.Tests.Support;

namespace Clickstream.Dashboard.Tests;

/// <summary>The JSON API of the real <c>clickstream dashboard</c> over a store the real job wrote.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ApiTests(PipelineFixture pipeline)
{
    [Theory]
    [InlineData("15m", 15)]
    [InlineData("1h", 60)]
    [InlineData("6h", 360)]
    public async Task Metrics_Range_EqualsTheMetricsCommandOverTheSameWindows(string range, int minutes)
    {
        var api = await Api.GetAsync(pipeline.Http, $"api/metrics?range={range}");
        Assert.Equal(range, api["range"]!.GetValue<string>());
        Assert.True(api["has_data"]!.GetValue<bool>());
        var from = api["from"]!.GetValue<DateTimeOffset>();
        var to = api["to"]!.GetValue<DateTimeOffset>();
        Assert.Equal(TimeSpan.FromMinutes(minutes), to - from);

        var (code, stdout, stderr) = await ClickstreamProgram.RunAsync(TimeSpan.FromMinutes(1), "metrics", "--store", pipeline.Store,
            "--from", Iso(from), "--to", Iso(to), "--format", "json");
        Assert.True(code == 0, stderr);
        var cli = JsonNode.Parse(stdout)!.AsObject();

        Assert.Equal(Api.Long(cli["active_users"]), Api.Long(api["active_users"]));
        Assert.Equal(Api.Long(cli["events"]), Api.Long(api["events"]));
        Assert.Equal(Api.Long(cli["duplicates"]), Api.Long(api["duplicates"]));
        Assert.Equal(Api.Long(cli["invalid"]), Api.Long(api["invalid"]));
        Assert.Equal(Api.Long(cli["late"]), Api.Long(api["late"]));
        Assert.True(Api.Long(api["events"]) > 0);
        Assert.Equal(Pairs(cli, "page_views_by_category", "category", "views"), Pairs(api, "page_views_by_category", "category", "views"));
        Assert.Equal(Pairs(cli, "top_products", "product_id", "views"), Pairs(api, "top_products", "product_id", "views"));
        Assert.Equal(Pairs(cli, "funnel", "step", "sessions"), Pairs(api, "funnel", "step", "sessions"));
        var rates = api["funnel"]!.AsArray().Select(s => s!["conversion_from_previous"]?.GetValue<double>()).ToList();
        Assert.Null(rates[0]);
        Assert.All(rates.Skip(1), r => Assert.InRange(r!.Value, 0, 1));

        // Every minute of the range is present, in order, and they add up to the range's events.
        var perMinute = api["events_per_minute"]!.AsArray();
        Assert.Equal(minutes, perMinute.Count);
        Assert.Equal(from, perMinute[0]!["minute"]!.GetValue<DateTimeOffset>());
        Assert.Equal(Api.Long(api["events"]), perMinute.Sum(p => Api.Long(p!["events"])));
    }

    [Fact]
    public async Task Metrics_ActiveUsersLast5Minutes_EqualsTheMetricsCommandDefault()
    {
        var api = await Api.GetAsync(pipeline.Http, "api/metrics?range=1h");
        var (code, stdout, stderr) = await ClickstreamProgram.RunAsync(TimeSpan.FromMinutes(1), "metrics", "--store", pipeline.Store, "--format", "json");
        Assert.True(code == 0, stderr);
        var cli = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal(api["to"]!.GetValue<DateTimeOffset>(), cli["to"]!.GetValue<DateTimeOffset>());
        Assert.Equal(Api.Long(cli["active_users"]), Api.Long(api["active_users_last5_minutes"]));
        Assert.True(Api.Long(api["active_users_last5_minutes"]) > 0);
    }

    [Theory]
    [InlineData("2h")]
    [InlineData("15")]
    public async Task Metrics_UnknownRange_Returns400WithTheAllowedRanges(string range)
    {
        var body = await Api.GetAsync(pipeline.Http, $"api/metrics?range={range}", HttpStatusCode.BadRequest);
        Assert.Contains("15m, 1h, 6h, 24h", body["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_NoRange_DefaultsToOneHour()
    {
        var body = await Api.GetAsync(pipeline.Http, "api/metrics");
        Assert.Equal("1h", body["range"]!.GetValue<string>());
        var ranges = await Api.GetAsync(pipeline.Http, "api/ranges");
        Assert.Equal(["15m", "1h", "6h", "24h"], ranges["ranges"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Health_AfterStreaming_ReportsTheNewestBatchAndTheJobsWatermark()
    {
        var version = await Api.GetAsync(pipeline.Http, "api/version");
        var health = await Api.GetAsync(pipeline.Http, "api/health?range=24h");
        var metrics = await Api.GetAsync(pipeline.Http, "api/metrics?range=24h");

        Assert.Equal(Api.Long(version["batch_id"]), Api.Long(health["batch_id"]));
        Assert.True(Api.Long(health["batch_id"]) >= 0);
        var committed = health["committed_at"]!.GetValue<DateTimeOffset>();
        var now = health["now"]!.GetValue<DateTimeOffset>();
        Assert.InRange(health["freshness_seconds"]!.GetValue<double>(), 0, (now - committed).TotalSeconds + 1);
        Assert.Equal(metrics["to"]!.GetValue<DateTimeOffset>(), health["newest_event_time"]!.GetValue<DateTimeOffset>());

        // The job keeps a 10-minute watermark delay; the checkpoint's progress report shows it.
        Assert.NotNull(health["watermark"]);
        Assert.InRange(health["watermark_lag_seconds"]!.GetValue<double>(), 0, 600);
        Assert.True(health["processed_rows_per_second"]!.GetValue<double>() > 0);
        Assert.True(health["events_per_second"]!.GetValue<double>() > 0);

        var input = (double)(Api.Long(metrics["events"]) + Api.Long(metrics["duplicates"]) + Api.Long(metrics["invalid"]) + Api.Long(metrics["late"]));
        Assert.Equal(Math.Round(Api.Long(metrics["invalid"]) / input, 5), health["invalid_rate"]!.GetValue<double>(), 6);
        Assert.Equal(Math.Round(Api.Long(metrics["duplicates"]) / input, 5), health["duplicate_rate"]!.GetValue<double>(), 6);
        Assert.True(health["invalid_rate"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task Dashboard_OneCall_HoldsVersionMetricsAndHealth()
    {
        var body = await Api.GetAsync(pipeline.Http, "api/dashboard?range=15m");
        Assert.Equal("15m", body["range"]!.GetValue<string>());
        Assert.Equal(Api.Long(body["version"]!["batch_id"]), Api.Long(body["health"]!["batch_id"]));
        Assert.Equal(15, body["metrics"]!["events_per_minute"]!.AsArray().Count);
    }

    [Fact]
    public async Task Events_OnConnect_SendsTheCurrentVersion()
    {
        var version = await Api.GetAsync(pipeline.Http, "api/version");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await pipeline.Http.GetAsync(new Uri("api/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        Assert.Equal("event: version", await reader.ReadLineAsync(cts.Token));
        var data = await reader.ReadLineAsync(cts.Token);
        Assert.StartsWith("data: ", data, StringComparison.Ordinal);
        var payload = JsonNode.Parse(data!["data: ".Length..])!;
        Assert.Equal(Api.Long(version["batch_id"]), Api.Long(payload["batch_id"]));
        Assert.Null(payload["error"]);
    }

    [Fact]
    public async Task Page_Root_IsServedFromTheProgramWithItsAssets()
    {
        using var response = await pipeline.Http.GetAsync(new Uri("/", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("default-src 'self'", string.Join(' ', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(/assets/[^\"]+\\.js)\"").Groups[1].Value;
        Assert.NotEmpty(script);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        using var asset = await pipeline.Http.GetAsync(new Uri(script, UriKind.Relative));
        asset.EnsureSuccessStatusCode();
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        using var missing = await pipeline.Http.GetAsync(new Uri("/assets/nothing.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Metrics_StoreMissing_Returns503WithTheReason()
    {
        var path = Path.Combine(pipeline.Temp, "no-such-store.db");
        await using var dashboard = await DashboardProcess.StartAsync(path);
        using var http = new HttpClient { BaseAddress = dashboard.Url };
        var body = await Api.GetAsync(http, "api/metrics?range=1h", HttpStatusCode.ServiceUnavailable);
        Assert.Contains("does not exist", body["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", dashboard.Url.Host);
    }

    [Fact]
    public async Task DashboardCommand_Sigterm_StopsCleanly()
    {
        var dashboard = await DashboardProcess.StartAsync(pipeline.Store);
        await using (dashboard)
        {
            using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", dashboard.Process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await dashboard.Process.WaitForExitAsync(cts.Token);
            Assert.Equal(0, dashboard.Process.ExitCode);
            Assert.Contains("dashboard: stopped", dashboard.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DashboardCommand_PortTaken_ExitsWithAClearError()
    {
        var (code, _, stderr) = await ClickstreamProgram.RunAsync(TimeSpan.FromMinutes(1), "dashboard", "--store", pipeline.Store,
            "--port", pipeline.Url.Port.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(1, code);
        Assert.Contains("could not listen on 127.0.0.1:" + pipeline.Url.Port.ToString(CultureInfo.InvariantCulture), stderr, StringComparison.Ordinal);
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static List<(string, long)> Pairs(JsonObject o, string array, string key, string value) =>
        [.. o[array]!.AsArray().Select(x => (x![key]!.GetValue<string>(), Api.Long(x[value])))];
}
