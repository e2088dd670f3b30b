using Clickstream.Engine.Execution;
using Clickstream.Engine.Operators;
using Clickstream.Engine.State;
using Clickstream.Engine.Windows;

namespace Clickstream.Engine.Plan;

/// <summary>
/// Spark's <c>session_window</c> aggregation (streaming-semantics.md §3.2): each event opens <c>[t, t + gap)</c>;
/// per key, sessions that overlap or touch (<c>next.start &lt;= current.end</c>) merge, also with stored sessions,
/// so one event can bridge two. Input whose own session already ends at or before the late watermark is dropped;
/// in append mode sessions are emitted when the watermark passes their end; complete mode emits every session.
/// </summary>
internal sealed class SessionWindowNode<T, TGroup, TBuffer, TOut> : AggregatedStream<T, TOut>
    where TGroup : notnull
{
    private readonly DataStream<T> _input;
    private readonly Func<T, long> _eventTime;
    private readonly long _gapMicros;
    private readonly Func<T, TGroup> _group;
    private readonly IKeyCodec<TGroup> _groupCodec;
    private readonly IAggregateFunction<T, TBuffer> _function;
    private readonly IStateCodec<TBuffer> _bufferCodec;
    private readonly Func<TimeWindow, TGroup, TBuffer, TOut> _result;
    private readonly OutputMode _mode;

    public SessionWindowNode(DataStream<T> input, Func<T, long> eventTime, long gapMicros, Func<T, TGroup> group, IKeyCodec<TGroup> groupCodec, IAggregateFunction<T, TBuffer> function, IStateCodec<TBuffer> bufferCodec, Func<TimeWindow, TGroup, TBuffer, TOut> result, OutputMode mode)
        : base($"SessionWindowAggregate[{gapMicros / 1000}ms]", input)
    {
        if (gapMicros <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gapMicros), "the session gap must be positive");
        }

        if (mode == OutputMode.Update)
        {
            throw new InvalidOperationException("Update output mode is not supported for session window aggregations (use Append or Complete)");
        }

        if (mode == OutputMode.Append && !input.HasWatermark)
        {
            throw new InvalidOperationException("Append output mode needs a watermark for session window aggregations");
        }

        _input = input;
        _eventTime = eventTime;
        _gapMicros = gapMicros;
        _group = group;
        _groupCodec = groupCodec;
        _function = function;
        _bufferCodec = bufferCodec;
        _result = result;
        _mode = mode;
        LateRows = new SideOutputNode<T>(this, "LateRows", b => b.RuntimeOf<Runtime>(this).Late, input.EventTimeMicros);
    }

    public override DataStream<T> LateRows { get; }

    private bool UsesWatermark => _mode != OutputMode.Complete && _input.HasWatermark;

    internal override NodeRuntime CreateRuntime(QueryRuntime query) => new Runtime(this, query);

    private sealed class SessionsCodec(IStateCodec<TBuffer> buffer) : IStateCodec<List<(long Start, long End, TBuffer Buffer)>>
    {
        public void Write(BinaryWriter writer, List<(long Start, long End, TBuffer Buffer)> value)
        {
            writer.Write(value.Count);
            foreach (var (start, end, b) in value)
            {
                writer.Write(start);
                writer.Write(end);
                buffer.Write(writer, b);
            }
        }

        public List<(long Start, long End, TBuffer Buffer)> Read(BinaryReader reader)
        {
            var n = reader.ReadInt32();
            var list = new List<(long, long, TBuffer)>(n);
            for (var i = 0; i < n; i++)
            {
                list.Add((reader.ReadInt64(), reader.ReadInt64(), buffer.Read(reader)));
            }

            return list;
        }
    }

    private sealed class Runtime : StatefulRuntime<TOut>
    {
        private readonly SessionWindowNode<T, TGroup, TBuffer, TOut> _node;
        private readonly KeyValueState<TGroup, List<(long Start, long End, TBuffer Buffer)>>[] _states;

        public Runtime(SessionWindowNode<T, TGroup, TBuffer, TOut> node, QueryRuntime query)
            : base(node, query)
        {
            _node = node;
            _states = new KeyValueState<TGroup, List<(long, long, TBuffer)>>[Partitions];
            for (var p = 0; p < Partitions; p++)
            {
                _states[p] = new KeyValueState<TGroup, List<(long, long, TBuffer)>>(node._groupCodec, new SessionsCodec(node._bufferCodec), 128);
            }
        }

        public List<T> Late { get; private set; } = [];

        public override bool ShouldRunAnotherBatch(long newWatermarkMs) =>
            _node.UsesWatermark && LastEvictionWatermarkMs is { } last && newWatermarkMs > last;

        protected override IPartitionState StateOf(int partition) => _states[partition];

        protected override List<TOut> Execute(BatchExecution batch, PartitionCounters[] counters)
        {
            var rows = batch.Get(_node._input);
            var (keys, parts) = Shuffle(rows, _node._group, _node._groupCodec);
            var outputs = new List<TOut>[Partitions];
            var late = new List<T>[Partitions];
            Parallel.For(0, Partitions, new ParallelOptions { CancellationToken = batch.Cancellation }, p =>
            {
                late[p] = [];
                outputs[p] = ExecutePartition(batch, rows, keys, parts[p], _states[p], late[p], ref counters[p]);
            });
            Late = Concat(late);
            return Concat(outputs);
        }

        private List<TOut> ExecutePartition(BatchExecution batch, List<T> rows, TGroup[] keys, List<int> indexes, KeyValueState<TGroup, List<(long Start, long End, TBuffer Buffer)>> state, List<T> late, ref PartitionCounters counters)
        {
            var node = _node;
            var fn = node._function;
            var lateLimit = batch.LateWatermarkMs * 1000;

            // New sessions per key, one per event, in arrival order.
            var fresh = new Dictionary<TGroup, List<(long Start, long End, TBuffer Buffer)>>(node._groupCodec);
            var order = new List<TGroup>();
            foreach (var i in indexes)
            {
                var t = node._eventTime(rows[i]);
                var end = t + node._gapMicros;
                if (node.UsesWatermark && end <= lateLimit)
                {
                    late.Add(rows[i]);
                    counters.DroppedByWatermark++;
                    continue;
                }

                if (!fresh.TryGetValue(keys[i], out var list))
                {
                    fresh[keys[i]] = list = [];
                    order.Add(keys[i]);
                }

                list.Add((t, end, fn.Add(fn.Create(), rows[i])));
            }

            foreach (var key in order)
            {
                var all = fresh[key];
                if (state.TryGet(key, out var stored))
                {
                    all.AddRange(stored);
                }

                state.Put(key, Merge(all, fn));
                counters.Updated++;
            }

            var output = new List<TOut>();
            if (node._mode == OutputMode.Complete)
            {
                foreach (var (key, sessions) in state.Rows)
                {
                    foreach (var s in sessions)
                    {
                        output.Add(node._result(new TimeWindow(s.Start, s.End), key, s.Buffer));
                    }
                }

                return output;
            }

            var evictLimit = batch.WatermarkMs * 1000;
            List<TGroup>? emptied = null;
            foreach (var (key, sessions) in state.Rows)
            {
                var kept = sessions.FindAll(s => s.End > evictLimit);
                if (kept.Count == sessions.Count)
                {
                    continue;
                }

                foreach (var s in sessions)
                {
                    if (s.End <= evictLimit)
                    {
                        output.Add(node._result(new TimeWindow(s.Start, s.End), key, s.Buffer));
                        counters.Removed++;
                    }
                }

                (emptied ??= []).Add(key);
            }

            if (emptied is not null)
            {
                foreach (var key in emptied)
                {
                    state.TryGet(key, out var sessions);
                    var kept = sessions.FindAll(s => s.End > evictLimit);
                    if (kept.Count == 0)
                    {
                        state.Remove(key);
                    }
                    else
                    {
                        state.Put(key, kept);
                    }
                }
            }

            return output;
        }

        private static List<(long Start, long End, TBuffer Buffer)> Merge(List<(long Start, long End, TBuffer Buffer)> sessions, IAggregateFunction<T, TBuffer> fn)
        {
            sessions.Sort((a, b) => a.Start.CompareTo(b.Start));
            var merged = new List<(long Start, long End, TBuffer Buffer)>();
            foreach (var s in sessions)
            {
                if (merged.Count > 0 && s.Start <= merged[^1].End)
                {
                    var last = merged[^1];
                    merged[^1] = (last.Start, Math.Max(last.End, s.End), fn.Merge(last.Buffer, s.Buffer));
                }
                else
                {
                    merged.Add(s);
                }
            }

            return merged;
        }
    }
}
