namespace Clickstream.Dashboard;

/// <summary>Page views of one category.</summary>
public sealed record CategoryViews(string Category, long Views);
