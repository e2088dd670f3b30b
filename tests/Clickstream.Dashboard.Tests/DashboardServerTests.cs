using System.Net;
using System.Text.Json.Nodes;
using Clickstream.Dashboard.Tests.Support;

namespace Clickstream.Dashboard.Tests;

/// <summary><see cref="DashboardServer"/> hosted in the test process over a hand-written data source.</summary>
public sealed class DashboardServerTests : IAsyncLifetime
{
    private readonly FakeDashboardData _data = new();
    private DashboardServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _data.Commit(3);
        _server = await DashboardServer.StartAsync(_data, new DashboardOptions { Port = 0, PollInterval = TimeSpan.FromMilliseconds(50) });
        _http = new HttpClient { BaseAddress = _server.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public void StartAsync_Port0_BindsLoopbackOnAFreePort()
    {
        Assert.Equal("127.0.0.1", _server.Url.Host);
        Assert.NotEqual(0, _server.Url.Port);
        Assert.Equal("/", _server.Url.AbsolutePath);
    }

    [Theory]
    [InlineData("15m", 15)]
    [InlineData("24h", 1440)]
    public async Task Metrics_Range_IsPassedToTheDataSourceAndWrittenInSnakeCase(string range, int minutes)
    {
        var body = await Api.GetAsync(_http, $"api/metrics?range={range}");
        Assert.Equal(TimeSpan.FromMinutes(minutes), _data.LastRange);
        Assert.Equal(range, body["range"]!.GetValue<string>());
        Assert.Equal(42, Api.Long(body["active_users_last5_minutes"]));
        Assert.Equal("2026-11-01T13:00:00+00:00", body["to"]!.GetValue<string>());
        Assert.Equal(0.3, body["funnel"]![1]!["conversion_from_previous"]!.GetValue<double>());
        Assert.Null(body["funnel"]![0]!["conversion_from_previous"]);
        Assert.Equal("p-000001", body["top_products"]![0]!["product_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Api_DataUnavailable_Returns503WithTheReason()
    {
        _data.MakeUnavailable("the store is on holiday");
        foreach (var path in new[] { "api/metrics", "api/health", "api/dashboard", "api/version" })
        {
            var body = await Api.GetAsync(_http, path, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("the store is on holiday", body["error"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Events_NewBatchAndOutage_ArePushedInOrder()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await _http.GetAsync(new Uri("api/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        Assert.Equal(3, Api.Long((await NextEventAsync(reader, cts.Token))["batch_id"]));

        _data.Commit(4);
        Assert.Equal(4, Api.Long((await NextEventAsync(reader, cts.Token))["batch_id"]));

        _data.MakeUnavailable("gone");
        var outage = await NextEventAsync(reader, cts.Token);
        Assert.Equal("gone", outage["error"]!.GetValue<string>());
        Assert.Null(outage["batch_id"]);

        _data.MakeUnavailable(null);
        Assert.Equal(4, Api.Long((await NextEventAsync(reader, cts.Token))["batch_id"]));
    }

    [Fact]
    public async Task StopAsync_WithAnOpenFeed_EndsTheFeed()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await _http.GetAsync(new Uri("api/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        await NextEventAsync(reader, cts.Token);

        await _server.StopAsync(cts.Token);
        // The stream ends (ReadToEnd returns) instead of hanging until the token gives up.
        var rest = await reader.ReadToEndAsync(cts.Token);
        Assert.Equal(string.Empty, rest.Trim());
    }

    [Fact]
    public async Task Api_UnknownPath_Returns404AndPagePathsGetThePage()
    {
        using var api = await _http.GetAsync(new Uri("api/nothing", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        using var page = await _http.GetAsync(new Uri("some/page", UriKind.Relative));
        page.EnsureSuccessStatusCode();
        Assert.Contains("<div id=\"root\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<JsonNode> NextEventAsync(StreamReader reader, CancellationToken ct)
    {
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonNode.Parse(line["data: ".Length..])!;
            }
        }

        throw new EndOfStreamException("the feed ended");
    }
}
