namespace Clickstream.Dashboard;

/// <summary>The ranges the page offers, by the name the API takes (<c>?range=1h</c>).</summary>
internal static class DashboardRanges
{
    public const string Default = "1h";

    public static IReadOnlyList<(string Name, TimeSpan Span)> All { get; } =
    [
        ("15m", TimeSpan.FromMinutes(15)),
        ("1h", TimeSpan.FromHours(1)),
        ("6h", TimeSpan.FromHours(6)),
        ("24h", TimeSpan.FromHours(24)),
    ];

    public static bool TryParse(string? name, out string canonical, out TimeSpan span)
    {
        canonical = string.IsNullOrEmpty(name) ? Default : name;
        foreach (var (n, s) in All)
        {
            if (string.Equals(n, canonical, StringComparison.Ordinal))
            {
                span = s;
                return true;
            }
        }

        span = default;
        return false;
    }
}
