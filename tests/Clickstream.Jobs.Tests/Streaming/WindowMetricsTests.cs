using static Clickstream.Jobs.Tests.Support.EventJson;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>The per-window counts: events by type, page views by category, product views by product, windows in UTC.</summary>
public sealed class WindowMetricsTests
{
    [Fact]
    public async Task Stream_UnknownEventTypes_CountedInEventsByType()
    {
        using var s = await StreamScenario.RunAsync(
        [
            Of("e1", "video_play", "12:00:01"),
            Of("e2", "search", "12:00:02"),
            Of("e3", "remove_from_cart", "12:00:03"),
            Of("e4", "video_play", "12:00:04"),
            Of("e5", "Page_View", "12:00:05"),
        ]);

        s.AssertMatchesModel();
        Assert.Equal(2, s.Actual("events", "12:00", "video_play"));
        Assert.Equal(1, s.Actual("events", "12:00", "search"));
        Assert.Equal(1, s.Actual("events", "12:00", "remove_from_cart"));
        Assert.Equal(1, s.Actual("events", "12:00", "Page_View"));
        Assert.DoesNotContain(s.Export, r => r.Metric is "page_views" or "funnel");
    }

    [Fact]
    public async Task Stream_PageViewWithoutUsableCategory_CountedAsNone()
    {
        const string Head = "{\"event_id\":\"{0}\",\"event_type\":\"page_view\",\"timestamp\":\"2026-11-01T12:00:0{0}Z\",\"user_id\":\"u-1\",\"session_id\":\"s-1\"";
        using var s = await StreamScenario.RunAsync(
        [
            Of("1", "page_view", "12:00:01"),
            Of("2", "page_view", "12:00:02", category: ""),
            Head.Replace("{0}", "3", StringComparison.Ordinal) + ",\"category\":null}",
            Head.Replace("{0}", "4", StringComparison.Ordinal) + ",\"category\":7}",
            Of("5", "page_view", "12:00:05", category: "books"),
            Of("6", "page_view", "12:01:06", category: "books"),
        ]);

        s.AssertMatchesModel();
        Assert.Equal(4, s.Actual("page_views", "12:00", "(none)"));
        Assert.Equal(1, s.Actual("page_views", "12:00", "books"));
        Assert.Equal(1, s.Actual("page_views", "12:01", "books"));
        Assert.Equal(5, s.Actual("events", "12:00", "page_view"));
    }

    [Fact]
    public async Task Stream_ProductViews_CountedExactlyPerProduct()
    {
        using var s = await StreamScenario.RunAsync(
        [
            Of("1", "product_view", "12:00:01", product: "p-1"),
            Of("2", "product_view", "12:00:02", product: "p-1"),
            Of("3", "product_view", "12:00:03", product: "p-2"),
            Of("4", "product_view", "12:00:04"),
            Of("5", "add_to_cart", "12:00:05", product: "p-3"),
        ],
        [
            Of("6", "product_view", "12:00:06", product: "p-1"),
        ]);

        s.AssertMatchesModel();
        Assert.Equal(3, s.Actual("top_products", "12:00", "p-1"));
        Assert.Equal(1, s.Actual("top_products", "12:00", "p-2"));
        Assert.Equal(0, s.Actual("top_products", "12:00", "p-3"));
        Assert.Equal(5, s.Actual("events", "12:00", "product_view"));
    }

    [Fact]
    public async Task Stream_TimestampsWithOffsets_LandInUtcWindows()
    {
        string Line(string id, string timestamp) => Raw(("event_id", id), ("event_type", "search"), ("timestamp", timestamp), ("user_id", "u-1"), ("session_id", "s-1"));
        using var s = await StreamScenario.RunAsync(
        [
            Line("1", "2026-11-01T14:00:30+02:00"),
            Line("2", "2026-11-01T11:31:10-00:30"),
            Line("3", "2026-11-01T17:32:59.999+0530"),
            Line("4", "2026-11-01T14:03:00+02"),
            Line("5", "2026-11-01T12:04:59.999999999Z"),
            Line("6", "2026-11-02T00:05:00+12:00"),
        ]);

        s.AssertMatchesModel();
        foreach (var window in new[] { "12:00", "12:01", "12:02", "12:03", "12:04", "12:05" })
        {
            Assert.Equal(1, s.Actual("events", window, "search"));
        }

        Assert.Equal(6, s.Export.Where(r => r.Metric == "events").Sum(r => r.Value));
    }
}
