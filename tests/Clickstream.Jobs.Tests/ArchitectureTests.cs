using System.Reflection;

namespace Clickstream.Jobs.Tests;

/// <summary>
/// The dependency rule of docs/architecture.md: the engine and the UDFs reference nothing of ours; the jobs sit on
/// top of both.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Engine = typeof(Engine.Execution.StreamingQuery).Assembly;
    private static readonly Assembly Udfs = typeof(Udfs.EventParser).Assembly;
    private static readonly Assembly Jobs = typeof(Jobs.Streaming.ClickstreamJob).Assembly;

    [Fact]
    public void References_FollowTheDependencyRule()
    {
        Assert.Empty(OurReferences(Engine));
        Assert.Empty(OurReferences(Udfs));
        Assert.Equal(["Clickstream.Engine", "Clickstream.Udfs"], OurReferences(Jobs));
    }

    private static List<string> OurReferences(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Clickstream", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
}
