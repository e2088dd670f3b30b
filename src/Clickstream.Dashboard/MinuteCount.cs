namespace Clickstream.Dashboard;

/// <summary>Events of the one-minute window starting at <paramref name="Minute"/>.</summary>
public sealed record MinuteCount(DateTimeOffset Minute, long Events);
