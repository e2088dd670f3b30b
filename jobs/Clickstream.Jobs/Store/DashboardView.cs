namespace Clickstream.Jobs.Store;

/// <summary>What the dashboard shows for a range of whole windows.</summary>
internal sealed record DashboardView(
    long FromMicros,
    long ToMicros,
    long ActiveUsers,
    IReadOnlyList<(string Key, long Value)> PageViewsByCategory,
    IReadOnlyList<(string Step, long Sessions, double? Conversion)> Funnel,
    IReadOnlyList<(string Key, long Value)> TopProducts,
    IReadOnlyList<(string Key, long Value)> EventsByType,
    long Events,
    long Duplicates,
    long Invalid,
    long Late);
