using static Clickstream.Jobs.Tests.Support.EventJson;

namespace Clickstream.Jobs.Tests.Streaming;

/// <summary>
/// Duplicates are the same event_id within the watermark delay; the first occurrence wins, and a key is forgotten
/// once <c>first event time + delay &lt;= watermark</c>. Each file is one batch.
/// </summary>
public sealed class DeduplicationTests
{
    [Fact]
    public async Task Stream_SameEventIdTwice_FirstOccurrenceWins()
    {
        using var s = await StreamScenario.RunAsync(
            [
                Of("a", "page_view", "12:00:10", category: "books"),
                Of("a", "product_view", "12:02:20", product: "p-1"),
                Of("b", "search", "12:00:30"),
            ],
            [
                Of("a", "page_view", "12:01:30", category: "toys"),
            ]);

        s.AssertMatchesModel();
        Assert.Equal(1, s.Actual("events", "12:00", "page_view"));
        Assert.Equal(1, s.Actual("page_views", "12:00", "books"));
        Assert.Equal(1, s.Actual("events", "12:00", "search"));
        Assert.DoesNotContain(s.Export, r => r.Key is "product_view" or "toys" or "p-1");
        Assert.Equal(1, s.Actual("duplicates", "12:02"));
        Assert.Equal(1, s.Actual("duplicates", "12:01"));
        Assert.Equal(1, s.Actual("funnel", "12:00", "page_view"));
    }

    [Fact]
    public async Task Stream_DuplicateAfterKeyExpired_CountedAgainAsNew()
    {
        // Watermark delay 10 s. Key a expires at 12:00:10.000, key b at 12:00:10.001. Batch 2 runs with watermark
        // 12:00:10.000 (from 12:00:20 in batch 1), so at its end a is forgotten and b is not.
        using var s = await StreamScenario.RunAsync(
            "10s",
            [Of("a", "page_view", "12:00:00.000", session: "s-1"), Of("b", "page_view", "12:00:00.001", session: "s-2")],
            [Of("a", "page_view", "12:00:00.000", session: "s-1"), Of("x", "search", "12:00:20.000", session: "s-3")],
            [Of("y", "search", "12:00:21.000", session: "s-3")],
            [Of("a", "page_view", "12:00:00.000", session: "s-1"), Of("b", "page_view", "12:00:00.001", session: "s-2")]);

        s.AssertMatchesModel();
        Assert.Equal(Micros("12:00:10") / 1000, s.Batches[2].WatermarkMs);
        Assert.Equal(3, s.Actual("events", "12:00", "page_view"));
        Assert.Equal(2, s.Actual("events", "12:00", "search"));
        Assert.Equal(2, s.Actual("duplicates", "12:00"));
        Assert.Equal(0, s.Actual("late", "12:00"));
    }

    [Fact]
    public async Task Stream_DuplicateAfterKeyExpiredBetweenWholeSeconds_CountedAgainAsNew()
    {
        // Key c expires at 12:00:10.500; batch 2 runs with watermark 12:00:10.600, so c is forgotten at its end and
        // the same id in batch 3 is a new event (its window is still open: not late).
        using var s = await StreamScenario.RunAsync(
            "10s",
            [Of("c", "page_view", "12:00:00.500")],
            [Of("x", "search", "12:00:20.600", session: "s-3")],
            [Of("y", "search", "12:00:20.700", session: "s-3")],
            [Of("c", "page_view", "12:00:00.500")]);

        Assert.Equal(Micros("12:00:10.600") / 1000, s.Batches[2].WatermarkMs);
        Assert.Equal(2, s.Model("events", "12:00", "page_view"));
        Assert.Equal(0, s.Model("duplicates", "12:00"));
        s.AssertMatchesModel();
    }

    [Fact]
    public async Task Stream_LateEventRepeated_DeduplicatedAndCountedOnceAsLate()
    {
        // Batch 2 filters with the watermark batch 1 ran with, 12:10:00: the 12:05 window is closed.
        using var s = await StreamScenario.RunAsync(
            [Of("w1", "search", "12:20:00", session: "s-w")],
            [Of("w2", "search", "12:20:01", session: "s-w")],
            [Of("l1", "page_view", "12:05:30", session: "s-l"), Of("l1", "page_view", "12:05:30", session: "s-l")],
            [Of("l1", "page_view", "12:05:30", session: "s-l")]);

        s.AssertMatchesModel();
        Assert.Equal(1, s.Actual("late", "12:05"));
        Assert.Equal(2, s.Actual("duplicates", "12:05"));
        Assert.Equal(0, s.Actual("events", "12:05", "page_view"));
    }
}
