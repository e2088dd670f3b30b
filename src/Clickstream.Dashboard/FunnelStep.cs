namespace Clickstream.Dashboard;

/// <summary>One funnel step; <paramref name="ConversionFromPrevious"/> is null for the first step.</summary>
public sealed record FunnelStep(string Step, long Sessions, double? ConversionFromPrevious);
