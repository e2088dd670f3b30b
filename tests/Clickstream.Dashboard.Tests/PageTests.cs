using System.Globalization;
using Clickstream.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Clickstream.Dashboard.Tests;

/// <summary>The page in headless Chromium against the real <c>clickstream dashboard</c>; screenshots go to TestResults/screenshots.</summary>
[Collection(DashboardCollection.Name)]
public sealed class PageTests(PipelineFixture pipeline, BrowserFixture browser)
{
    [Fact]
    public async Task Page_Loads_ShowsTheNumbersOfTheApi()
    {
        var page = await OpenAsync("?range=1h", "1h");
        var api = await Api.GetAsync(pipeline.Http, "api/dashboard?range=1h");
        var metrics = api["metrics"]!;

        await AssertNumberAsync(page, "active-users", Api.Long(metrics["active_users_last5_minutes"]));
        await AssertNumberAsync(page, "active-users-range", Api.Long(metrics["active_users"]));
        await AssertNumberAsync(page, "events-total", Api.Long(metrics["events"]));
        foreach (var step in metrics["funnel"]!.AsArray())
        {
            await AssertNumberAsync(page, $"funnel-{step!["step"]!.GetValue<string>()}", Api.Long(step["sessions"]));
        }

        var rate = metrics["funnel"]![1]!["conversion_from_previous"]!.GetValue<double>();
        var rateText = await page.GetByTestId($"funnel-rate-{metrics["funnel"]![1]!["step"]!.GetValue<string>()}").TextContentAsync();
        Assert.Equal($"{(rate * 100).ToString("0.0", CultureInfo.InvariantCulture)}% of previous", rateText);

        var products = page.GetByTestId("top-products").Locator("tbody tr");
        Assert.Equal(metrics["top_products"]!.AsArray().Count, await products.CountAsync());
        var first = metrics["top_products"]![0]!;
        Assert.Equal(first["product_id"]!.GetValue<string>(), await products.First.Locator(".product-id").TextContentAsync());

        var categories = page.GetByTestId("page-views-table").Locator("tr");
        Assert.Equal(metrics["page_views_by_category"]!.AsArray().Count, await categories.CountAsync());
        Assert.Equal(
            metrics["events_per_minute"]!.AsArray().Count.ToString(CultureInfo.InvariantCulture),
            await page.GetByTestId("events-per-minute").GetAttributeAsync("data-points"));
        await AssertNumberAsync(page, "batch-id", Api.Long(api["health"]!["batch_id"]));
        Assert.NotEqual("—", await page.GetByTestId("watermark-lag").TextContentAsync());
        Assert.Equal(10, Math.Min(10, await products.CountAsync()));

        await BrowserFixture.ScreenshotAsync(page, "dashboard-1h-light");
        var dark = await OpenAsync("?range=1h", "1h", ColorScheme.Dark);
        await BrowserFixture.ScreenshotAsync(dark, "dashboard-1h-dark");
    }

    [Fact]
    public async Task RangeSelector_Click_ChangesTheApiRangeAndTheNumbers()
    {
        var page = await OpenAsync("?range=24h", "24h");
        var wide = await Api.GetAsync(pipeline.Http, "api/metrics?range=24h");
        await AssertNumberAsync(page, "events-total", Api.Long(wide["events"]));

        var requested = page.WaitForRequestAsync(r => r.Url.Contains("/api/dashboard?range=15m", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Radio, new() { Name = "15 min" }).ClickAsync();
        await requested;
        await Assertions.Expect(page.GetByTestId("dashboard")).ToHaveAttributeAsync("data-range", "15m");
        Assert.Equal("true", await page.GetByRole(AriaRole.Radio, new() { Name = "15 min" }).GetAttributeAsync("aria-checked"));
        Assert.EndsWith("?range=15m", page.Url, StringComparison.Ordinal);

        var narrow = await Api.GetAsync(pipeline.Http, "api/metrics?range=15m");
        Assert.True(Api.Long(narrow["events"]) < Api.Long(wide["events"]), "the data spans more than 15 minutes");
        await AssertNumberAsync(page, "events-total", Api.Long(narrow["events"]));
        await AssertNumberAsync(page, "active-users-range", Api.Long(narrow["active_users"]));
        Assert.Equal("15", await page.GetByTestId("events-per-minute").GetAttributeAsync("data-points"));
        await BrowserFixture.ScreenshotAsync(page, "dashboard-15m");

        await page.GetByRole(AriaRole.Radio, new() { Name = "6 h" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("dashboard")).ToHaveAttributeAsync("data-range", "6h");
        var six = await Api.GetAsync(pipeline.Http, "api/metrics?range=6h");
        await AssertNumberAsync(page, "events-total", Api.Long(six["events"]));
    }

    [Fact]
    public async Task Page_NewEventsStreamed_UpdatesWithoutReload()
    {
        var page = await OpenAsync("?range=15m", "15m");
        await Assertions.Expect(page.GetByTestId("live-status")).ToContainTextAsync("Live");
        var before = await Api.GetAsync(pipeline.Http, "api/dashboard?range=15m");
        var batchBefore = Api.Long(before["version"]!["batch_id"]);
        var toBefore = before["metrics"]!["to"]!.GetValue<DateTimeOffset>();

        // A marker that a reload would lose.
        await page.EvaluateAsync("() => { window.__noReload = 'kept'; }");

        // Ten more minutes of traffic after the current newest window.
        await pipeline.AppendEventsAsync(toBefore, minutes: 10, events: 8_000);
        var after = await Api.GetAsync(pipeline.Http, "api/dashboard?range=15m");
        var batchAfter = Api.Long(after["version"]!["batch_id"]);
        Assert.True(batchAfter > batchBefore, "streaming the new events committed a batch");
        Assert.True(after["metrics"]!["to"]!.GetValue<DateTimeOffset>() > toBefore);

        await Assertions.Expect(page.GetByTestId("dashboard")).ToHaveAttributeAsync(
            "data-batch-id", batchAfter.ToString(CultureInfo.InvariantCulture), new() { Timeout = 60_000 });
        Assert.Equal("kept", await page.EvaluateAsync<string>("() => window.__noReload"));
        var metrics = after["metrics"]!;
        await AssertNumberAsync(page, "events-total", Api.Long(metrics["events"]));
        await AssertNumberAsync(page, "active-users", Api.Long(metrics["active_users_last5_minutes"]));
        await BrowserFixture.ScreenshotAsync(page, "dashboard-after-live-update");
    }

    [Fact]
    public async Task Page_StoreMissing_ShowsTheReason()
    {
        await using var dashboard = await DashboardProcess.StartAsync(Path.Combine(pipeline.Temp, "missing.db"));
        var page = await browser.NewPageAsync();
        await page.GotoAsync(dashboard.Url.ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not exist");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-store-missing");
    }

    [Fact]
    public async Task Page_StoreAppearsWhileOpen_FillsInWithoutReload()
    {
        var root = Path.Combine(pipeline.Temp, "later-" + Guid.NewGuid().ToString("N"));
        var store = Path.Combine(root, "aggregates.db");
        await using var dashboard = await DashboardProcess.StartAsync(store);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(dashboard.Url.ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not exist");
        await page.EvaluateAsync("() => { window.__noReload = 'kept'; }");

        var generated = Path.Combine(root, "landing");
        var run = await ClickstreamProgram.RunAsync(TimeSpan.FromMinutes(2), "generate", "--out", generated, "--events", "3000", "--minutes", "10");
        Assert.True(run.Code == 0, run.Stderr);
        run = await ClickstreamProgram.RunAsync(TimeSpan.FromMinutes(2), "stream", "--input", generated,
            "--checkpoint", Path.Combine(root, "checkpoint"), "--store", store, "--trigger", "available-now");
        Assert.True(run.Code == 0, run.Stderr);

        using var http = new HttpClient { BaseAddress = dashboard.Url };
        var metrics = (await Api.GetAsync(http, "api/dashboard?range=1h"))["metrics"]!;
        await Assertions.Expect(page.GetByTestId("events-total")).ToHaveAttributeAsync(
            "data-value", Api.Long(metrics["events"]).ToString(CultureInfo.InvariantCulture), new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        Assert.Equal("kept", await page.EvaluateAsync<string>("() => window.__noReload"));
    }

    [Fact]
    public async Task Page_StoreWithoutWindows_SaysNoDataYet()
    {
        // A job that has run over an empty landing folder: the store exists but holds no window.
        var root = Path.Combine(pipeline.Temp, "empty-" + Guid.NewGuid().ToString("N"));
        var landing = Directory.CreateDirectory(Path.Combine(root, "landing")).FullName;
        var store = Path.Combine(root, "aggregates.db");
        var (code, stdout, stderr) = await ClickstreamProgram.RunAsync(TimeSpan.FromMinutes(2), "stream", "--input", landing,
            "--checkpoint", Path.Combine(root, "checkpoint"), "--store", store, "--trigger", "available-now");
        Assert.True(code == 0, stdout + stderr);

        await using var dashboard = await DashboardProcess.StartAsync(store);
        using var http = new HttpClient { BaseAddress = dashboard.Url };
        var metrics = await Api.GetAsync(http, "api/metrics?range=1h");
        Assert.False(metrics["has_data"]!.GetValue<bool>());
        Assert.Empty(metrics["events_per_minute"]!.AsArray());

        var page = await browser.NewPageAsync();
        await page.GotoAsync(dashboard.Url.ToString());
        await Assertions.Expect(page.GetByTestId("empty")).ToContainTextAsync("No data yet");
        await Assertions.Expect(page.GetByTestId("active-users")).ToHaveAttributeAsync("data-value", "0");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-no-data-yet");
    }

    private async Task<IPage> OpenAsync(string query, string range, ColorScheme scheme = ColorScheme.Light)
    {
        var page = await browser.NewPageAsync(scheme);
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add(m.Text);
            }
        };
        var elsewhere = new List<string>();
        page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith(pipeline.Url.ToString(), StringComparison.Ordinal))
            {
                elsewhere.Add(r.Url);
            }
        };
        await page.GotoAsync(new Uri(pipeline.Url, query).ToString());
        await Assertions.Expect(page.GetByTestId("dashboard")).ToHaveAttributeAsync("data-range", range);
        Assert.Empty(errors);
        Assert.Empty(elsewhere);
        return page;
    }

    /// <summary>The element shows <paramref name="expected"/> both as its raw value and as its en-US text (waits for live updates).</summary>
    private static async Task AssertNumberAsync(IPage page, string testId, long expected)
    {
        var element = page.GetByTestId(testId);
        await Assertions.Expect(element).ToHaveAttributeAsync("data-value", expected.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(element).ToHaveTextAsync(expected.ToString("N0", CultureInfo.InvariantCulture));
    }
}
