namespace Clickstream.Dashboard;

/// <summary>What the live feed publishes: the newest batch, or why the store cannot be read.</summary>
internal sealed record FeedState(DataVersion Version, string? Error);
