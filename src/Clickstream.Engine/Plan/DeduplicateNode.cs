using Clickstream.Engine.Execution;
using Clickstream.Engine.Operators;
using Clickstream.Engine.State;

namespace Clickstream.Engine.Plan;

/// <summary>
/// Spark's <c>dropDuplicates</c> and <c>dropDuplicatesWithinWatermark</c> (streaming-semantics.md §5): the first
/// row of a key wins; late rows are dropped before the check (policy permitting); state expires at
/// <c>eventTime + delay</c> (within-watermark) or at the key's own event time (plain, when the key has one).
/// </summary>
internal sealed class DeduplicateNode<T, TKey> : DeduplicatedStream<T>
    where TKey : notnull
{
    private readonly DataStream<T> _input;
    private readonly Func<T, TKey> _key;
    private readonly IKeyCodec<TKey> _codec;
    private readonly bool _withinWatermark;
    private readonly Func<TKey, long>? _keyEventTime;
    private readonly LateRowPolicy _lateRows;
    private readonly Func<IDedupState<TKey>> _stateFactory;

    public DeduplicateNode(DataStream<T> input, Func<T, TKey> key, IKeyCodec<TKey> codec, bool withinWatermark, Func<TKey, long>? keyEventTime, LateRowPolicy lateRows, Func<IDedupState<TKey>>? stateFactory)
        : base(withinWatermark ? "dedupeWithinWatermark" : "dedupe", input.EventTimeMicros, input)
    {
        if (withinWatermark && (!input.HasWatermark || input.EventTimeMicros is null))
        {
            throw new InvalidOperationException("dropDuplicatesWithinWatermark needs a watermark on its input (call WithWatermark first)");
        }

        if (input.HasWatermark && input.EventTimeMicros is null)
        {
            throw new InvalidOperationException("deduplication after a watermark needs the event-time column; restate it in the projection that lost it");
        }

        _input = input;
        _key = key;
        _codec = codec;
        _withinWatermark = withinWatermark;
        _keyEventTime = keyEventTime;
        _lateRows = lateRows;
        _stateFactory = stateFactory ?? (() => new DictionaryDedupState<TKey>(codec));
        Duplicates = new SideOutputNode<T>(this, "Duplicates", b => b.RuntimeOf<Runtime>(this).Duplicates, input.EventTimeMicros);
        LateRows = new SideOutputNode<T>(this, "LateRows", b => b.RuntimeOf<Runtime>(this).Late, input.EventTimeMicros);
    }

    public override DataStream<T> Duplicates { get; }

    public override DataStream<T> LateRows { get; }

    private bool Evicts => _input.HasWatermark && (_withinWatermark || _keyEventTime is not null);

    internal override NodeRuntime CreateRuntime(QueryRuntime query) => new Runtime(this, query);

    private sealed class Runtime : StatefulRuntime<T>
    {
        private readonly DeduplicateNode<T, TKey> _node;
        private readonly IDedupState<TKey>[] _states;

        public Runtime(DeduplicateNode<T, TKey> node, QueryRuntime query)
            : base(node, query)
        {
            _node = node;
            _states = new IDedupState<TKey>[Partitions];
            for (var p = 0; p < Partitions; p++)
            {
                _states[p] = node._stateFactory();
            }
        }

        public List<T> Duplicates { get; private set; } = [];

        public List<T> Late { get; private set; } = [];

        public override bool ShouldRunAnotherBatch(long newWatermarkMs) =>
            _node._input.HasWatermark && LastEvictionWatermarkMs is { } last && newWatermarkMs > last;

        protected override IPartitionState StateOf(int partition) => _states[partition];

        protected override List<T> Execute(BatchExecution batch, PartitionCounters[] counters)
        {
            var rows = batch.Get(_node._input);
            var (keys, parts) = Shuffle(rows, _node._key, _node._codec);

            // Each partition decides the fate of its rows; the outputs are then built in arrival order, so the
            // operator keeps the input order (deterministic, and "first" means first in the batch).
            var fate = new byte[rows.Count];
            Parallel.For(0, Partitions, new ParallelOptions { CancellationToken = batch.Cancellation }, p =>
                ExecutePartition(batch, rows, keys, parts[p], _states[p], fate, ref counters[p]));

            var output = new List<T>(rows.Count);
            var dups = new List<T>();
            var late = new List<T>();
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows);
            for (var i = 0; i < span.Length; i++)
            {
                switch (fate[i])
                {
                    case Keep:
                        output.Add(span[i]);
                        break;
                    case Duplicate:
                        dups.Add(span[i]);
                        break;
                    default:
                        late.Add(span[i]);
                        break;
                }
            }

            Duplicates = dups;
            Late = late;
            return output;
        }

        private const byte Keep = 1;
        private const byte Duplicate = 2;
        private const byte LateRow = 3;

        private void ExecutePartition(BatchExecution batch, List<T> rows, TKey[] keys, List<int> indexes, IDedupState<TKey> state, byte[] fate, ref PartitionCounters counters)
        {
            var node = _node;
            var eventTime = node._input.EventTimeMicros;
            var filterLate = node._input.HasWatermark && node._lateRows == LateRowPolicy.Drop;
            var lateLimit = batch.LateWatermarkMs * 1000;
            var delayMicros = (node._input.WatermarkDelayMs ?? 0) * 1000;
            foreach (var i in indexes)
            {
                var key = keys[i];
                long expiry;
                if (eventTime is not null)
                {
                    var t = eventTime(rows[i]);
                    if (filterLate && t <= lateLimit)
                    {
                        fate[i] = LateRow;
                        counters.DroppedByWatermark++;
                        continue;
                    }

                    // Spark keeps expiresAt in milliseconds: floor(eventTime to ms) + delay.
                    expiry = node._withinWatermark ? (Time.Micros.FloorToMillis(t) * 1000) + delayMicros
                        : node._keyEventTime is not null ? node._keyEventTime(key) : long.MaxValue;
                }
                else
                {
                    expiry = node._keyEventTime is not null ? node._keyEventTime(key) : long.MaxValue;
                }

                if (state.TryAdd(key, expiry))
                {
                    fate[i] = Keep;
                    counters.Updated++;
                }
                else
                {
                    fate[i] = Duplicate;
                }
            }

            if (node.Evicts)
            {
                counters.Removed += state.RemoveExpired(batch.WatermarkMs * 1000);
            }
        }
    }
}
