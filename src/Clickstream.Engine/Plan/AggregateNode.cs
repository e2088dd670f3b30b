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

            // Partial aggregation before the shuffle (Spark's partial HashAggregate): each chunk of the input is
            // folded into its own small map, so only one entry per (chunk, group) crosses to the partitions.
            var chunkCount = Math.Clamp(rows.Count / 8192, 1, Environment.ProcessorCount);
            var chunks = new Chunk[chunkCount];
            Parallel.For(0, chunkCount, new ParallelOptions { CancellationToken = batch.Cancellation }, c =>
            {
                var from = (int)((long)rows.Count * c / chunkCount);
                var to = (int)((long)rows.Count * (c + 1) / chunkCount);
                chunks[c] = PartialAggregate(batch, rows, from, to);
            });

            var parts = new List<(TKey Key, TBuffer Buffer)>[Partitions];
            for (var p = 0; p < Partitions; p++)
            {
                parts[p] = [];
            }

            var late = new List<T>();
            HashSet<TKey>? lateKeys = null;
            foreach (var chunk in chunks)
            {
                foreach (var key in chunk.Order)
                {
                    parts[PartitionOf(spec.KeyCodec.StableHash(key))].Add((key, chunk.Partial[key]));
                }

                late.AddRange(chunk.Late);
                if (chunk.LateKeys is not null)
                {
                    lateKeys ??= new HashSet<TKey>(spec.KeyCodec);
                    lateKeys.UnionWith(chunk.LateKeys);
                }
            }

            // Spark counts dropped rows after partial aggregation: one per late group.
            counters[0].DroppedByWatermark = lateKeys?.Count ?? 0;
            LateRows = late;

            var outputs = new List<TOut>[Partitions];
            Parallel.For(0, Partitions, new ParallelOptions { CancellationToken = batch.Cancellation }, p =>
                outputs[p] = MergePartition(batch, parts[p], _states[p], ref counters[p]));
            return Concat(outputs);
        }

        private Chunk PartialAggregate(BatchExecution batch, List<T> rows, int from, int to)
        {
            var spec = _node._spec;
            var fn = spec.Function;
            var useWatermark = _node.UsesWatermark;
            var keyTime = spec.KeyEventTimeMicros;
            var lateLimit = batch.LateWatermarkMs * 1000;
            var chunk = new Chunk(new Dictionary<TKey, TBuffer>(spec.KeyCodec), [], []);
            var keys = new List<TKey>(4);
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows);
            for (var i = from; i < to; i++)
            {
                var row = span[i];
                keys.Clear();
                spec.Keys(row, keys);
                var rowIsLate = false;
                foreach (var key in keys)
                {
                    if (useWatermark && keyTime!(key) <= lateLimit)
                    {
                        chunk.LateKeys ??= new HashSet<TKey>(spec.KeyCodec);
                        chunk.LateKeys.Add(key);
                        if (!rowIsLate)
                        {
                            chunk.Late.Add(row);
                            rowIsLate = true;
                        }

                        continue;
                    }

                    ref var buffer = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(chunk.Partial, key, out var exists);
                    if (!exists)
                    {
                        buffer = fn.Create();
                        chunk.Order.Add(key);
                    }

                    buffer = fn.Add(buffer!, row);
                }
            }

            return chunk;
        }

        private List<TOut> MergePartition(BatchExecution batch, List<(TKey Key, TBuffer Buffer)> input, KeyValueState<TKey, TBuffer> state, ref PartitionCounters counters)
        {
            var spec = _node._spec;
            var fn = spec.Function;
            var keyTime = spec.KeyEventTimeMicros;
            var evictLimit = batch.WatermarkMs * 1000;
            var updated = new Dictionary<TKey, TBuffer>(spec.KeyCodec);
            var order = new List<TKey>();
            foreach (var (key, partial) in input)
            {
                ref var merged = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(updated, key, out var seen);
                if (seen)
                {
                    merged = fn.Merge(merged!, partial);
                }
                else
                {
                    merged = state.TryGet(key, out var stored) ? fn.Merge(stored, partial) : partial;
                    order.Add(key);
                }
            }

            var output = new List<TOut>();
            foreach (var key in order)
            {
                var merged = updated[key];
                state.Put(key, merged);
                counters.Updated++;
                if (spec.Mode == OutputMode.Update)
                {
                    output.Add(spec.Result(key, merged));
                }
            }

            if (_node.UsesWatermark)
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

            return output;
        }

        private sealed record Chunk(Dictionary<TKey, TBuffer> Partial, List<TKey> Order, List<T> Late)
        {
            public HashSet<TKey>? LateKeys { get; set; }
        }
    }
}
