using System.Globalization;
using Clickstream.Engine.Checkpointing;
using Clickstream.Engine.Operators;
using Clickstream.Engine.Plan;
using Clickstream.Engine.Sources;

namespace Clickstream.Engine.Execution;

/// <summary>
/// The per-run objects of a query: node runtimes (in a deterministic order, which fixes operator ids and source
/// indexes), source readers, the watermark tracker and the checkpoint. Owned by the driver thread.
/// </summary>
internal sealed class QueryRuntime : IDisposable
{
    private readonly Dictionary<PlanNode, NodeRuntime> _runtimes = new(ReferenceEqualityComparer.Instance);
    private int _nextOperatorId;

    public QueryRuntime(QueryDefinition definition, CheckpointLog checkpoint, int shufflePartitions, WatermarkPolicy policy, TimeProvider time)
    {
        Checkpoint = checkpoint;
        ShufflePartitions = shufflePartitions;
        var order = new List<PlanNode>();
        var seen = new HashSet<PlanNode>(ReferenceEqualityComparer.Instance);
        foreach (var sink in definition.Sinks)
        {
            Visit(sink.Stream, order, seen);
        }

        var watermarkNodes = new List<(PlanNode, long)>();
        var sources = new List<(ISourceNode Node, ISourceRuntime Runtime)>();
        foreach (var node in order)
        {
            if (node is ISourceNode source)
            {
                var dir = checkpoint.SourceDir(sources.Count);
                var runtime = source.CreateSourceRuntime(new SourceContext(dir, time));
                sources.Add((source, runtime));
                _runtimes[node] = (NodeRuntime)runtime;
                continue;
            }

            if (node is IWatermarkNode wm)
            {
                watermarkNodes.Add((node, wm.DelayMs));
            }

            _runtimes[node] = node.CreateRuntime(this);
        }

        Sources = sources;
        Watermarks = new WatermarkTracker(watermarkNodes, policy);
        var stateful = new List<IStatefulRuntime>();
        foreach (var node in order)
        {
            if (_runtimes[node] is IStatefulRuntime s)
            {
                stateful.Add(s);
            }
        }

        Stateful = stateful;

        // How many consumers read each node's rows in a batch (operators and sinks), so a batch can drop a
        // node's rows as soon as the last one has them and the heap only holds what is still needed.
        var consumers = new Dictionary<PlanNode, int>(ReferenceEqualityComparer.Instance);
        foreach (var node in order)
        {
            foreach (var input in node.Inputs)
            {
                consumers[input] = consumers.GetValueOrDefault(input) + 1;
            }
        }

        foreach (var sink in definition.Sinks)
        {
            consumers[sink.Stream] = consumers.GetValueOrDefault(sink.Stream) + 1;
        }

        Consumers = consumers;
    }

    public CheckpointLog Checkpoint { get; }

    public int ShufflePartitions { get; }

    public WatermarkTracker Watermarks { get; }

    public IReadOnlyList<(ISourceNode Node, ISourceRuntime Runtime)> Sources { get; }

    public IReadOnlyList<IStatefulRuntime> Stateful { get; }

    public CancellationToken Cancellation { get; set; }

    /// <summary>Readers per node in one batch.</summary>
    public IReadOnlyDictionary<PlanNode, int> Consumers { get; }

    public int NextOperatorId() => _nextOperatorId++;

    public NodeRuntime RuntimeOf(PlanNode node) =>
        _runtimes.TryGetValue(node, out var r) ? r : throw new InvalidOperationException($"operator {node.Name} is not part of this query");

    public void Dispose()
    {
        foreach (var (_, runtime) in Sources)
        {
            runtime.Dispose();
        }
    }

    public static string Conf(int value) => value.ToString(CultureInfo.InvariantCulture);

    // Inputs first (post-order), so every runtime's inputs exist before it and ids follow the data flow.
    private static void Visit(PlanNode node, List<PlanNode> order, HashSet<PlanNode> seen)
    {
        if (!seen.Add(node))
        {
            return;
        }

        foreach (var input in node.Inputs)
        {
            Visit(input, order, seen);
        }

        order.Add(node);
    }
}
