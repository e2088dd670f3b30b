using Clickstream.Engine.Execution;
using Clickstream.Engine.Operators;
using Clickstream.Engine.State;

namespace Clickstream.Engine.Plan;

/// <summary>
/// A streaming aggregation (Spark's StateStoreRestore/Save pair) with the late filter and eviction rules of
/// streaming-semantics.md §2.3: a group whose event time is at or behind the late watermark is dropped (and
/// counted) after partial aggregation; update mode emits changed groups and then evicts; append mode emits
/// groups when they are evicted; complete mode emits everything and never evicts.
/// </summary>
internal sealed class AggregateNode<T, TKey, TBuffer, TOut> : AggregatedStream<T, TOut>
    where TKey : notnull
{
    private readonly DataStream<T> _input;
    private readonly AggregationSpec<T, TKey, TBuffer, TOut> _spec;

    public AggregateNode(DataStream<T> input, AggregationSpec<T, TKey, TBuffer, TOut> spec)
        : base(spec.Name, input)
    {
        _input = input;
        _spec = spec;
        if (spec.Mode == OutputMode.Append && (!input.HasWatermark || spec.KeyEventTimeMicros is null))
        {
            throw new InvalidOperationException(
                "Append output mode is not supported for a streaming aggregation without a watermark on its event-time key (use Update or Complete, or add a watermark)");
        }

        LateRows = new SideOutputNode<T>(this, "LateRows", b => b.RuntimeOf<Runtime>(this).LateRows, input.EventTimeMicros);
    }

    public override DataStream<T> LateRows { get; }

    private bool UsesWatermark => _spec.Mode != OutputMode.Complete && _input.HasWatermark && _spec.KeyEventTimeMicros is not null;

    internal override NodeRuntime CreateRuntime(QueryRuntime query) => new Runtime(this, query);

    private sealed class Runtime : StatefulRuntime<TOut>
    {
        private readonly AggregateNode<T, TKey, TBuffer, TOut> _node;
        private readonly KeyValueState<TKey, TBuffer>[] _states;

        public Runtime(AggregateNode<T, TKey, TBuffer, TOut> node, QueryRuntime query)
            : base(node, query)
        {
            _node = node;
            _states = new KeyValueState<TKey, TBuffer>[Partitions];
            for (var p = 0; p < Partitions; p++)
            {
                _states[p] = new KeyValueState<TKey, TBuffer>(node._spec.KeyCodec, node._spec.BufferCodec, 96);
            }
        }

        public List<T> LateRows { get; private set; } = [];

        public override bool ShouldRunAnotherBatch(long newWatermarkMs) =>
            _node.UsesWatermark && LastEvictionWatermarkMs is { } last && newWatermarkMs > last;

        protected override IPartitionState StateOf(int partition) => _states[partition];

        protected override List<TOut> Execute(BatchExecution batch, PartitionCounters[] counters)
        {
            var spec = _node._spec;
            var rows = batch.Get(_node._input);

            // Expand each row into its group keys and route the pairs to partitions (arrival order kept).
            var parts = new List<(TKey Key, T Row)>[Partitions];
            for (var p = 0; p < Partitions; p++)
            {
                parts[p] = [];
            }

            var keys = new List<TKey>(4);
            foreach (var row in rows)
            {
                keys.Clear();
                spec.Keys(row, keys);
                foreach (var k in keys)
                {
                    parts[PartitionOf(spec.KeyCodec.StableHash(k))].Add((k, row));
                }
            }

            var outputs = new List<TOut>[Partitions];
            var late = new List<T>[Partitions];
            Parallel.For(0, Partitions, new ParallelOptions { CancellationToken = batch.Cancellation }, p =>
                (outputs[p], late[p]) = ExecutePartition(batch, parts[p], _states[p], ref counters[p]));
            LateRows = Concat(late);
            return Concat(outputs);
        }

        private (List<TOut> Output, List<T> Late) ExecutePartition(BatchExecution batch, List<(TKey Key, T Row)> input, KeyValueState<TKey, TBuffer> state, ref PartitionCounters counters)
        {
            var spec = _node._spec;
            var fn = spec.Function;
            var useWatermark = _node.UsesWatermark;
            var keyTime = spec.KeyEventTimeMicros;
            var lateLimit = batch.LateWatermarkMs * 1000;
            var evictLimit = batch.WatermarkMs * 1000;
            var partial = new Dictionary<TKey, TBuffer>(spec.KeyCodec);
            var order = new List<TKey>();
            var late = new List<T>();
            HashSet<TKey>? lateKeys = null;
            foreach (var (key, row) in input)
            {
                if (useWatermark && keyTime!(key) <= lateLimit)
                {
                    // Spark counts dropped rows after partial aggregation: one per late group.
                    lateKeys ??= new HashSet<TKey>(spec.KeyCodec);
                    lateKeys.Add(key);
                    late.Add(row);
                    continue;
                }

                if (partial.TryGetValue(key, out var buffer))
                {
                    partial[key] = fn.Add(buffer, row);
                }
                else
                {
                    partial[key] = fn.Add(fn.Create(), row);
                    order.Add(key);
                }
            }

            counters.DroppedByWatermark = lateKeys?.Count ?? 0;
            var output = new List<TOut>();
            foreach (var key in order)
            {
                var merged = state.TryGet(key, out var stored) ? fn.Merge(stored, partial[key]) : partial[key];
                state.Put(key, merged);
                counters.Updated++;
                if (spec.Mode == OutputMode.Update)
                {
                    output.Add(spec.Result(key, merged));
                }
            }

            if (useWatermark)
            {
                List<TKey>? evicted = null;
                foreach (var (key, _) in state.Rows)
                {
                    if (keyTime!(key) <= evictLimit)
                    {
                        (evicted ??= []).Add(key);
                    }
                }

                if (evicted is not null)
                {
                    foreach (var key in evicted)
                    {
                        if (spec.Mode == OutputMode.Append)
                        {
                            state.TryGet(key, out var final);
                            output.Add(spec.Result(key, final));
                        }

                        state.Remove(key);
                        counters.Removed++;
                    }
                }
            }

            if (spec.Mode == OutputMode.Complete)
            {
                foreach (var (key, buffer) in state.Rows)
                {
                    output.Add(spec.Result(key, buffer));
                }
            }

            return (output, late);
        }
    }
}
