namespace Clickstream.Dashboard;

/// <summary>Views of one product.</summary>
public sealed record ProductViews(string ProductId, long Views);
