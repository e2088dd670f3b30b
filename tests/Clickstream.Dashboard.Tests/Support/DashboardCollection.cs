namespace Clickstream.Dashboard.Tests.Support;

/// <summary>
/// Every test that uses the shared pipeline runs in this collection, one at a time: the live test adds events to the
/// store, and the others read the API at the moment they compare with it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<PipelineFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "dashboard";
}
