using static Clickstream.Jobs.Tests.Support.EventJson;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>
/// An event is late when its window has closed: window end &lt;= the watermark the previous batch ran with. Late
/// events count in <c>late</c> (per window of the event) and in no aggregate. Each file is one batch; the default
/// delay is 10 minutes.
/// </summary>
public sealed class LatenessTests
{
    [Fact]
    public async Task Stream_EventInClosedWindow_CountedAsLateOnly()
    {
        // Batch 1 runs with watermark 12:10:00, so batch 2 drops windows ending at or before 12:10:00.
        using var s = await StreamScenario.RunAsync(
            [Of("w1", "search", "12:20:00", session: "s-w", user: "u-w")],
            [Of("w2", "search", "12:20:01", session: "s-w", user: "u-w")],
            [
                Of("l1", "page_view", "12:05:30", session: "s-l", user: "u-l", category: "books"),
                Of("l2", "product_view", "12:09:59.999", session: "s-l", user: "u-l", product: "p-9"),
            ]);

        s.AssertMatchesModel();
        Assert.Equal(Micros("12:10:00") / 1000, s.Batches[1].WatermarkMs);
        Assert.Equal(1, s.Actual("late", "12:05"));
        Assert.Equal(1, s.Actual("late", "12:09"));
        Assert.DoesNotContain(s.Export, r => r.Metric != "late" && r.WindowStartMicros < Micros("12:20"));
    }

    [Fact]
    public async Task Stream_EventBehindWatermarkInOpenWindow_IsNotLate()
    {
        // Batch 2 filters with watermark 12:10:40: 12:10:20 is behind it, but its window [12:10, 12:11) is open.
        using var s = await StreamScenario.RunAsync(
            [Of("w1", "search", "12:20:40", session: "s-w")],
            [Of("w2", "search", "12:20:41", session: "s-w")],
            [
                Of("o1", "page_view", "12:10:20", session: "s-o", category: "books"),
                Of("o2", "page_view", "12:09:50", session: "s-o", category: "books"),
            ]);

        s.AssertMatchesModel();
        Assert.Equal(1, s.Actual("events", "12:10", "page_view"));
        Assert.Equal(1, s.Actual("page_views", "12:10", "books"));
        Assert.Equal(0, s.Actual("late", "12:10"));
        Assert.Equal(1, s.Actual("late", "12:09"));
    }

    [Fact]
    public async Task Stream_LateFilter_UsesPreviousBatchWatermark()
    {
        // Batch 1 runs with watermark 12:10:00 but filters late rows with batch 0's watermark (none yet);
        // batch 2 filters with 12:10:00.
        using var s = await StreamScenario.RunAsync(
            [Of("w1", "search", "12:20:00", session: "s-w")],
            [Of("e1", "page_view", "12:05:30", session: "s-1")],
            [Of("e2", "page_view", "12:05:40", session: "s-2")]);

        s.AssertMatchesModel();
        Assert.Equal(Micros("12:10:00") / 1000, s.Batches[1].WatermarkMs);
        Assert.Equal(1, s.Actual("events", "12:05", "page_view"));
        Assert.Equal(1, s.Actual("late", "12:05"));
    }
}
