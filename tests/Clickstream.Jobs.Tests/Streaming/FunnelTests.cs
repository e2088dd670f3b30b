using static Clickstream.Jobs.Tests.Support.EventJson;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>
/// The funnel page_view → product_view → add_to_cart → checkout_start → purchase, per session: events in arrival
/// order across batches and in event-time order within a batch; a step counts in the window of the event that
/// reached it; 30 minutes of event-time inactivity forget the session. Each file is one batch.
/// </summary>
public sealed class FunnelTests
{
    [Fact]
    public async Task Stream_FunnelFullPath_CountsEachStepOnce()
    {
        using var s = await StreamScenario.RunAsync(
        [
            Of("1", "page_view", "12:00:01"),
            Of("2", "product_view", "12:01:01", product: "p-1"),
            Of("3", "add_to_cart", "12:02:01"),
            Of("4", "checkout_start", "12:03:01"),
            Of("5", "purchase", "12:04:01"),
            Of("6", "page_view", "12:04:30"),
            Of("7", "purchase", "12:04:40"),
        ]);

        s.AssertMatchesModel();
        Assert.Equal(1, s.Actual("funnel", "12:00", "page_view"));
        Assert.Equal(1, s.Actual("funnel", "12:01", "product_view"));
        Assert.Equal(1, s.Actual("funnel", "12:02", "add_to_cart"));
        Assert.Equal(1, s.Actual("funnel", "12:03", "checkout_start"));
        Assert.Equal(1, s.Actual("funnel", "12:04", "purchase"));
        Assert.Equal(5, s.Export.Where(r => r.Metric == "funnel").Sum(r => r.Value));
    }

    [Fact]
    public async Task Stream_FunnelOutOfOrderWithinBatch_FollowsEventTime()
    {
        using var s = await StreamScenario.RunAsync(
        [
            Of("1", "product_view", "12:01:20", product: "p-1"),
            Of("2", "add_to_cart", "12:02:30"),
            Of("3", "page_view", "12:00:10"),
        ]);

        s.AssertMatchesModel();
        Assert.Equal(1, s.Actual("funnel", "12:00", "page_view"));
        Assert.Equal(1, s.Actual("funnel", "12:01", "product_view"));
        Assert.Equal(1, s.Actual("funnel", "12:02", "add_to_cart"));
    }

    [Fact]
    public async Task Stream_FunnelOutOfOrderAcrossBatches_FollowsArrival()
    {
        using var s = await StreamScenario.RunAsync(
            [Of("1", "product_view", "12:01:20", product: "p-1")],
            [Of("2", "page_view", "12:00:10"), Of("3", "product_view", "12:02:30", product: "p-2")]);

        s.AssertMatchesModel();
        Assert.Equal(1, s.Actual("funnel", "12:00", "page_view"));
        Assert.Equal(0, s.Actual("funnel", "12:01", "product_view"));
        Assert.Equal(1, s.Actual("funnel", "12:02", "product_view"));
    }

    [Fact]
    public async Task Stream_FunnelSkippedStep_DoesNotCount()
    {
        using var s = await StreamScenario.RunAsync(
        [
            Of("1", "page_view", "12:00:00"),
            Of("2", "add_to_cart", "12:01:00"),
            Of("3", "checkout_start", "12:01:30"),
            Of("4", "product_view", "12:02:00", product: "p-1"),
            Of("5", "add_to_cart", "12:03:00"),
        ]);

        s.AssertMatchesModel();
        Assert.Equal(1, s.Actual("funnel", "12:00", "page_view"));
        Assert.Equal(0, s.Actual("funnel", "12:01", "add_to_cart"));
        Assert.Equal(1, s.Actual("funnel", "12:02", "product_view"));
        Assert.Equal(1, s.Actual("funnel", "12:03", "add_to_cart"));
        Assert.DoesNotContain(s.Export, r => r.Metric == "funnel" && r.Key == "checkout_start");
    }

    [Fact]
    public async Task Stream_FunnelSessionInactive30Minutes_StartsOver()
    {
        // s-old last acts at 12:01; batch 2 runs with watermark 12:31:30 (from 12:41:30), past 12:01 + 30 min, so
        // its state is forgotten at the end of batch 2. s-recent last acts at 12:16 and keeps its progress.
        using var s = await StreamScenario.RunAsync(
            [
                Of("o1", "page_view", "12:00:00", session: "s-old"),
                Of("o2", "product_view", "12:01:00", session: "s-old", product: "p-1"),
                Of("r1", "page_view", "12:15:00", session: "s-recent"),
                Of("r2", "product_view", "12:16:00", session: "s-recent", product: "p-1"),
            ],
            [Of("x1", "search", "12:41:30", session: "s-other")],
            [Of("x2", "search", "12:41:31", session: "s-other")],
            [
                Of("o3", "add_to_cart", "12:45:00", session: "s-old"),
                Of("o4", "page_view", "12:45:10", session: "s-old"),
                Of("o5", "product_view", "12:46:20", session: "s-old", product: "p-2"),
                Of("r3", "add_to_cart", "12:45:30", session: "s-recent"),
            ]);

        s.AssertMatchesModel();
        Assert.Equal(Micros("12:31:30") / 1000, s.Batches[2].WatermarkMs);
        Assert.Equal(1, s.Actual("funnel", "12:01", "product_view"));
        Assert.Equal(1, s.Actual("funnel", "12:16", "product_view"));

        // Only s-recent's add_to_cart counts: s-old starts over, and its add_to_cart came before its new page_view.
        Assert.Equal(1, s.Actual("funnel", "12:45", "add_to_cart"));
        Assert.Equal(1, s.Actual("funnel", "12:45", "page_view"));
        Assert.Equal(1, s.Actual("funnel", "12:46", "product_view"));
    }

    [Fact]
    public async Task Stream_FunnelEqualEventTimesInBatch_KeepArrivalOrder()
    {
        // Within a batch events go in event-time order; between events of the same time only arrival order is left.
        var lines = new List<string>();
        for (var i = 0; i < 16; i++)
        {
            lines.Add(Of($"pv-{i}", "page_view", "12:00:05.000", session: $"s-{i}", user: $"u-{i}"));
            lines.Add(Of($"pr-{i}", "product_view", "12:00:05.000", session: $"s-{i}", user: $"u-{i}", product: "p-1"));
        }

        using var s = await StreamScenario.RunAsync([.. lines]);

        Assert.Equal(16, s.Model("funnel", "12:00", "product_view"));
        s.AssertMatchesModel();
    }
}
