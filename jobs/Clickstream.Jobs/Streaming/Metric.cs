namespace Clickstream.Jobs.Streaming;

/// <summary>The metrics the job keeps per one-minute window (names as stored and exported).</summary>
internal static class Metric
{
    public const string Events = "events";
    public const string PageViews = "page_views";
    public const string TopProducts = "top_products";
    public const string Funnel = "funnel";
    public const string ActiveUsers = "active_users";
    public const string Late = "late";
    public const string Duplicates = "duplicates";
    public const string Invalid = "invalid";

    /// <summary>The key of <c>page_views</c> when an event has no category.</summary>
    public const string NoCategory = "(none)";

    /// <summary>Every metric, in the order reports show them.</summary>
    public static IReadOnlyList<string> All { get; } = [Events, PageViews, TopProducts, Funnel, ActiveUsers, Late, Duplicates, Invalid];
}
