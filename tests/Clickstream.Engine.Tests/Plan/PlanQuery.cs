using Clickstream.Engine.Execution;
using Clickstream.Engine.Tests.Execution;

namespace Clickstream.Engine.Tests.Plan;

/// <summary>Runs a query definition on a temporary checkpoint with a hand-set clock.</summary>
internal sealed class PlanQuery : IDisposable
{
    private readonly TempDirectory _dir = new("clickstream-plan");
    private readonly List<StreamingQuery> _started = [];

    public TestClock Clock { get; } = new(1_000);

    public string CheckpointPath => _dir.Path;

    public StreamingQuery Start(QueryDefinition definition, int partitions = 2)
    {
        var query = StreamingQuery.Start(definition, new QueryOptions { CheckpointPath = _dir.Path, ShufflePartitions = partitions, Time = Clock });
        _started.Add(query);
        return query;
    }

    public void Dispose()
    {
        foreach (var q in _started)
        {
            q.Dispose();
        }

        _dir.Dispose();
    }
}
