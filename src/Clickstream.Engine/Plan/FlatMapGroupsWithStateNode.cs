using Clickstream.Engine.Execution;
using Clickstream.Engine.Operators;
using Clickstream.Engine.State;

namespace Clickstream.Engine.Plan;

/// <summary>
/// Spark's <c>flatMapGroupsWithState</c> (streaming-semantics.md §6): the function is called per key with the
/// batch's rows, then every key whose timeout is strictly before the threshold (eviction watermark, or batch
/// time) is called again with no rows. With an event-time timeout, late rows are dropped first.
/// </summary>
internal sealed class FlatMapGroupsWithStateNode<T, TKey, TState, TOut> : DataStream<TOut>
    where TKey : notnull
{
    private readonly DataStream<T> _input;
    private readonly Func<T, TKey> _key;
    private readonly IKeyCodec<TKey> _keyCodec;
    private readonly IStateCodec<(TState State, long Timeout)> _stateCodec;
    private readonly GroupStateTimeout _timeout;
    private readonly Action<TKey, IReadOnlyList<T>, GroupState<TState>, List<TOut>> _function;
    private readonly LateRowPolicy _lateRows;

    public FlatMapGroupsWithStateNode(
        DataStream<T> input,
        Func<T, TKey> key,
        IKeyCodec<TKey> keyCodec,
        IStateCodec<TState> stateCodec,
        GroupStateTimeout timeout,
        Action<TKey, IReadOnlyList<T>, GroupState<TState>, List<TOut>> function,
        Func<TOut, long>? outputEventTime,
        LateRowPolicy lateRows)
        : base("flatMapGroupsWithState", outputEventTime, input)
    {
        if (timeout == GroupStateTimeout.EventTime && (!input.HasWatermark || input.EventTimeMicros is null))
        {
            throw new InvalidOperationException("an event-time timeout needs a watermark on the input (call WithWatermark first)");
        }

        _input = input;
        _key = key;
        _keyCodec = keyCodec;
        _stateCodec = new WithTimeoutCodec(stateCodec);
        _timeout = timeout;
        _function = function;
        _lateRows = lateRows;
        LateRows = new SideOutputNode<T>(this, "LateRows", b => b.RuntimeOf<Runtime>(this).Late, input.EventTimeMicros);
    }

    /// <summary>Rows dropped as late (event-time timeout only).</summary>
    public DataStream<T> LateRows { get; }

    internal override NodeRuntime CreateRuntime(QueryRuntime query) => new Runtime(this, query);

    private sealed class WithTimeoutCodec(IStateCodec<TState> inner) : IStateCodec<(TState State, long Timeout)>
    {
        public void Write(BinaryWriter writer, (TState State, long Timeout) value)
        {
            writer.Write(value.Timeout);
            inner.Write(writer, value.State);
        }

        public (TState State, long Timeout) Read(BinaryReader reader)
        {
            var timeout = reader.ReadInt64();
            return (inner.Read(reader), timeout);
        }
    }

    private sealed class Runtime : StatefulRuntime<TOut>
    {
        private readonly FlatMapGroupsWithStateNode<T, TKey, TState, TOut> _node;
        private readonly KeyValueState<TKey, (TState State, long Timeout)>[] _states;

        public Runtime(FlatMapGroupsWithStateNode<T, TKey, TState, TOut> node, QueryRuntime query)
            : base(node, query)
        {
            _node = node;
            _states = new KeyValueState<TKey, (TState, long)>[Partitions];
            for (var p = 0; p < Partitions; p++)
            {
                _states[p] = new KeyValueState<TKey, (TState, long)>(node._keyCodec, node._stateCodec, 96);
            }
        }

        public List<T> Late { get; private set; } = [];

        public override bool ShouldRunAnotherBatch(long newWatermarkMs) => _node._timeout switch
        {
            GroupStateTimeout.EventTime => LastEvictionWatermarkMs is { } last && newWatermarkMs > last,
            GroupStateTimeout.ProcessingTime => true,
            _ => false,
        };

        protected override IPartitionState StateOf(int partition) => _states[partition];

        protected override List<TOut> Execute(BatchExecution batch, PartitionCounters[] counters)
        {
            var rows = batch.Get(_node._input);
            var (keys, parts) = Shuffle(rows, _node._key, _node._keyCodec);
            var next = new int[rows.Count];
            var outputs = new List<TOut>[Partitions];
            var late = new List<T>[Partitions];
            Parallel.For(0, Partitions, new ParallelOptions { CancellationToken = batch.Cancellation }, p =>
            {
                outputs[p] = [];
                late[p] = [];
                ExecutePartition(batch, rows, keys, next, parts[p], _states[p], outputs[p], late[p], ref counters[p]);
            });
            Late = Concat(late);
            return Concat(outputs);
        }

        private void ExecutePartition(BatchExecution batch, List<T> rows, TKey[] keys, int[] next, List<int> indexes, KeyValueState<TKey, (TState State, long Timeout)> state, List<TOut> output, List<T> late, ref PartitionCounters counters)
        {
            var node = _node;
            var filterLate = node._timeout == GroupStateTimeout.EventTime && node._lateRows == LateRowPolicy.Drop;
            var lateLimit = batch.LateWatermarkMs * 1000;

            // Group rows by key without a list per key: chain each key's row indexes through `next`
            // (each index belongs to exactly one partition, so partitions share the array safely).
            var groups = new Dictionary<TKey, (int First, int Last)>(node._keyCodec);
            var order = new List<TKey>();
            foreach (var i in indexes)
            {
                if (filterLate && node._input.EventTimeMicros!(rows[i]) <= lateLimit)
                {
                    late.Add(rows[i]);
                    counters.DroppedByWatermark++;
                    continue;
                }

                next[i] = -1;
                var key = keys[i];
                ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(groups, key, out var exists);
                if (exists)
                {
                    next[slot.Last] = i;
                    slot.Last = i;
                }
                else
                {
                    slot = (i, i);
                    order.Add(key);
                }
            }

            var values = new List<T>();
            var group = new GroupState<TState>(node._timeout);
            foreach (var key in order)
            {
                values.Clear();
                for (var i = groups[key].First; i >= 0; i = next[i])
                {
                    values.Add(rows[i]);
                }

                var exists = state.TryGet(key, out var stored);
                Call(batch, state, group, key, values, exists, stored.State, hasTimedOut: false, output, ref counters);
            }

            if (node._timeout == GroupStateTimeout.None)
            {
                return;
            }

            var threshold = node._timeout == GroupStateTimeout.EventTime ? batch.WatermarkMs : batch.BatchTimestampMs;
            List<TKey>? timedOut = null;
            foreach (var (key, value) in state.Rows)
            {
                if (value.Timeout != GroupState<TState>.NoTimestamp && value.Timeout < threshold)
                {
                    (timedOut ??= []).Add(key);
                }
            }

            if (timedOut is not null)
            {
                values.Clear();
                foreach (var key in timedOut)
                {
                    state.TryGet(key, out var stored);
                    Call(batch, state, group, key, values, true, stored.State, hasTimedOut: true, output, ref counters);
                }
            }
        }

        private void Call(BatchExecution batch, KeyValueState<TKey, (TState State, long Timeout)> state, GroupState<TState> group, TKey key, IReadOnlyList<T> rows, bool exists, TState? value, bool hasTimedOut, List<TOut> output, ref PartitionCounters counters)
        {
            group.Reset(exists, value, hasTimedOut, batch.WatermarkMs, batch.BatchTimestampMs);
            _node._function(key, rows, group, output);
            if (group.Exists)
            {
                state.Put(key, (group.Value, group.TimeoutTimestampMs));
                counters.Updated++;
            }
            else if (exists && state.Remove(key))
            {
                counters.Removed++;
            }
        }
    }
}
