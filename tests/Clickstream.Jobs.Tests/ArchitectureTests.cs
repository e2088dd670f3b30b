using System.Reflection;

namespace Clickstream.Jobs.Tests;

/// <summary>
/// The dependency rule of docs/architecture.md: the engine, the UDFs and the Delta library reference nothing of ours;
/// the jobs sit on top of all three.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Engine = typeof(Engine.Execution.StreamingQuery).Assembly;
    private static readonly Assembly Udfs = typeof(Udfs.EventParser).Assembly;
    private static readonly Assembly Jobs = typeof(Jobs.Streaming.ClickstreamJob).Assembly;
    private static readonly Assembly Delta = typeof(Delta.Table.DeltaTable).Assembly;

    [Fact]
    public void References_FollowTheDependencyRule()
    {
        Assert.Empty(OurReferences(Engine));
        Assert.Empty(OurReferences(Udfs));
        Assert.Empty(OurReferences(Delta));
        Assert.Empty(OurReferences(typeof(global::Clickstream.Dashboard.DashboardServer).Assembly));
        Assert.Equal(["Clickstream.Collector", "Clickstream.Dashboard", "Clickstream.Delta", "Clickstream.Engine", "Clickstream.Udfs"], OurReferences(Jobs));
    }

    private static List<string> OurReferences(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Clickstream", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
}
