namespace Clickstream.Dashboard;

/// <summary>
/// The business figures of one range: <c>[From, To)</c> in event time, where <c>To</c> is the end of the newest
/// one-minute window in the store (so a replay of old events shows them too) and <c>From = To − range</c>.
/// </summary>
/// <param name="HasData">False while the store holds no window; every figure is then zero or empty.</param>
/// <param name="From">Range start (inclusive), or null without data.</param>
/// <param name="To">Range end (exclusive): the end of the newest window, or null without data.</param>
/// <param name="ActiveUsersLast5Minutes">Distinct users in <c>[To − 5 min, To)</c>, from the merged HyperLogLog sketches.</param>
/// <param name="ActiveUsers">Distinct users over the whole range.</param>
/// <param name="Events">Valid, non-duplicate events in the range.</param>
/// <param name="Duplicates">Duplicate events dropped in the range.</param>
/// <param name="Invalid">Invalid lines in the range.</param>
/// <param name="Late">Events that arrived after the watermark had passed their window.</param>
/// <param name="PageViewsByCategory">Page views per category, most viewed first.</param>
/// <param name="Funnel">Sessions reaching each funnel step, in step order, with the rate from the previous step.</param>
/// <param name="TopProducts">The ten most viewed products, most viewed first.</param>
/// <param name="EventsPerMinute">Events per one-minute window, every minute of the range (zero when empty).</param>
public sealed record DashboardMetrics(
    bool HasData,
    DateTimeOffset? From,
    DateTimeOffset? To,
    long ActiveUsersLast5Minutes,
    long ActiveUsers,
    long Events,
    long Duplicates,
    long Invalid,
    long Late,
    IReadOnlyList<CategoryViews> PageViewsByCategory,
    IReadOnlyList<FunnelStep> Funnel,
    IReadOnlyList<ProductViews> TopProducts,
    IReadOnlyList<MinuteCount> EventsPerMinute);
