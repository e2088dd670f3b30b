using System.Reflection;

namespace Clickstream.Jobs.Tests;

/// <summary>
/// The dependency rule of docs/architecture.md: the engine, the UDFs and the Delta library reference nothing of ours;
/// the AWS library references the engine and Delta only; the jobs sit on top of all of them.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Engine = typeof(Engine.Execution.StreamingQuery).Assembly;
    private static readonly Assembly Udfs = typeof(Udfs.EventParser).Assembly;
    private static readonly Assembly Jobs = typeof(Jobs.Streaming.ClickstreamJob).Assembly;
    private static readonly Assembly Delta = typeof(Delta.Table.DeltaTable).Assembly;
    private static readonly Assembly Aws = typeof(global::Clickstream.Aws.AwsSettings).Assembly;

    [Fact]
    public void References_FollowTheDependencyRule()
    {
        Assert.Empty(OurReferences(Engine));
        Assert.Empty(OurReferences(Udfs));
        Assert.Empty(OurReferences(Delta));
        Assert.Empty(OurReferences(typeof(global::Clickstream.Dashboard.DashboardServer).Assembly));
        Assert.DoesNotContain(OurReferences(Aws), r => r is not ("Clickstream.Engine" or "Clickstream.Delta"));
        Assert.Equal(["Clickstream.Aws", "Clickstream.Collector", "Clickstream.Dashboard", "Clickstream.Delta", "Clickstream.Engine", "Clickstream.Udfs"], OurReferences(Jobs));
    }

    private static List<string> OurReferences(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Clickstream", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
}
