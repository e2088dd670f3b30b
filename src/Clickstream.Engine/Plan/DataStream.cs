using Clickstream.Engine.State;
using Clickstream.Engine.Time;
using Clickstream.Engine.Windows;

namespace Clickstream.Engine.Plan;

/// <summary>
/// A stream of rows of <typeparamref name="T"/> in a query definition: the fluent API to add operators.
/// Definitions are immutable; nothing runs until a <see cref="Execution.StreamingQuery"/> executes them.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
public abstract class DataStream<T> : PlanNode
{
    private protected DataStream(string name, Func<T, long>? eventTimeMicros, params PlanNode[] inputs)
        : base(name, inputs) => EventTimeMicros = eventTimeMicros;

    /// <summary>The event-time column (µs since the epoch) when one is known for this stream.</summary>
    public Func<T, long>? EventTimeMicros { get; }

    /// <summary>A stateless one-to-many transformation (Spark's <c>flatMap</c>); the event-time column must be restated if needed.</summary>
    public DataStream<TOut> FlatMap<TOut>(Action<T, List<TOut>> transform, Func<TOut, long>? eventTimeMicros = null, string name = "FlatMap") =>
        new FlatMapNode<T, TOut>(this, (row, _, output) => transform(row, output), eventTimeMicros, name);

    /// <summary>
    /// A stateless transformation that also sees the batch (its id, <c>current_timestamp()</c> =
    /// <see cref="Execution.BatchExecution.BatchTimestampMs"/>, watermarks). Re-runs of a batch see the same values.
    /// </summary>
    public DataStream<TOut> FlatMapWithBatch<TOut>(Action<T, Execution.BatchExecution, List<TOut>> transform, Func<TOut, long>? eventTimeMicros = null, string name = "FlatMap") =>
        new FlatMapNode<T, TOut>(this, transform, eventTimeMicros, name);

    /// <summary>A stateless one-to-one transformation.</summary>
    public DataStream<TOut> Select<TOut>(Func<T, TOut> selector, Func<TOut, long>? eventTimeMicros = null) =>
        FlatMap<TOut>((row, output) => output.Add(selector(row)), eventTimeMicros, "Project");

    /// <summary>Keeps the rows matching <paramref name="predicate"/>; the event-time column is kept.</summary>
    public DataStream<T> Where(Func<T, bool> predicate) =>
        new FlatMapNode<T, T>(this, (row, _, output) =>
        {
            if (predicate(row))
            {
                output.Add(row);
            }
        }, EventTimeMicros, "Filter");

    /// <summary>Declares the event-time column and the watermark delay (Spark's <c>withWatermark</c>).</summary>
    public DataStream<T> WithWatermark(Func<T, long> eventTimeMicros, string delay) =>
        WithWatermark(eventTimeMicros, IntervalParser.ParseMilliseconds(delay));

    /// <summary>Declares the event-time column and the watermark delay in milliseconds.</summary>
    public DataStream<T> WithWatermark(Func<T, long> eventTimeMicros, long delayMs) =>
        new WatermarkNode<T>(this, eventTimeMicros, delayMs);

    /// <summary>The rows of this stream and of <paramref name="others"/> (Spark's <c>union</c>).</summary>
    public DataStream<T> Union(params DataStream<T>[] others) => new UnionNode<T>([this, .. others]);

    /// <summary>
    /// Spark's <c>dropDuplicates(cols)</c>: the first row of each key wins. With a watermark, late rows are dropped
    /// and, when <paramref name="keyEventTimeMicros"/> gives the key's event time, keys at or behind the watermark are evicted.
    /// </summary>
    public DeduplicatedStream<T> DropDuplicates<TKey>(Func<T, TKey> key, IKeyCodec<TKey> codec, Func<TKey, long>? keyEventTimeMicros = null)
        where TKey : notnull =>
        new DeduplicateNode<T, TKey>(this, key, codec, withinWatermark: false, keyEventTimeMicros, LateRowPolicy.Drop, null);

    /// <summary>
    /// Spark's <c>dropDuplicatesWithinWatermark(cols)</c>: a key's first row is kept and its state lives until
    /// <c>eventTime + delay &lt;= watermark</c>; duplicates inside that span are dropped whatever their event time.
    /// </summary>
    public DeduplicatedStream<T> DropDuplicatesWithinWatermark<TKey>(Func<T, TKey> key, IKeyCodec<TKey> codec, LateRowPolicy lateRows = LateRowPolicy.Drop, Func<IDedupState<TKey>>? stateFactory = null)
        where TKey : notnull =>
        new DeduplicateNode<T, TKey>(this, key, codec, withinWatermark: true, null, lateRows, stateFactory);

    /// <summary>
    /// A grouped aggregation: every row contributes to the groups <paramref name="spec"/> assigns it (one key,
    /// or one per window), partial aggregates are merged into keyed state, and the output mode decides what is emitted.
    /// </summary>
    public AggregatedStream<T, TOut> Aggregate<TKey, TBuffer, TOut>(AggregationSpec<T, TKey, TBuffer, TOut> spec)
        where TKey : notnull =>
        new AggregateNode<T, TKey, TBuffer, TOut>(this, spec);

    /// <summary>A windowed aggregation: groups by (window of the event time, <paramref name="group"/>).</summary>
    public AggregatedStream<T, TOut> WindowAggregate<TGroup, TBuffer, TOut>(
        WindowSpec window,
        Func<T, TGroup> group,
        IKeyCodec<TGroup> groupCodec,
        IAggregateFunction<T, TBuffer> function,
        IStateCodec<TBuffer> bufferCodec,
        Func<TimeWindow, TGroup, TBuffer, TOut> result,
        OutputMode mode,
        Func<T, long>? eventTimeMicros = null) =>
        WindowAggregate<TGroup, TBuffer, TOut>(window, (row, groups) => groups.Add(group(row)), groupCodec, function, bufferCodec, result, mode, eventTimeMicros);

    /// <summary>
    /// A windowed aggregation in which a row may count in several groups of its windows (like several
    /// group-bys sharing one pass): <paramref name="groups"/> adds the row's groups.
    /// </summary>
    public AggregatedStream<T, TOut> WindowAggregate<TGroup, TBuffer, TOut>(
        WindowSpec window,
        Action<T, List<TGroup>> groups,
        IKeyCodec<TGroup> groupCodec,
        IAggregateFunction<T, TBuffer> function,
        IStateCodec<TBuffer> bufferCodec,
        Func<TimeWindow, TGroup, TBuffer, TOut> result,
        OutputMode mode,
        Func<T, long>? eventTimeMicros = null)
    {
        var time = eventTimeMicros ?? EventTimeMicros ?? throw new InvalidOperationException("a window aggregation needs an event-time column: call WithWatermark or pass eventTimeMicros");
        var keyCodec = new WindowKeyCodec<TGroup>(groupCodec);
        var tumbling = window.WindowMicros == window.SlideMicros;
        var spec = new AggregationSpec<T, WindowKey<TGroup>, TBuffer, TOut>(
            (row, keys) =>
            {
                // One list per thread: the expander runs inside the aggregation's parallel chunks.
                var g = GroupBuffer<TGroup>.Instance ??= new List<TGroup>(4);
                g.Clear();
                groups(row, g);
                if (g.Count == 0)
                {
                    return;
                }

                var t = time(row);
                if (tumbling)
                {
                    var w = window.AssignTumbling(t);
                    foreach (var x in g)
                    {
                        keys.Add(new WindowKey<TGroup>(w, x));
                    }

                    return;
                }

                Span<TimeWindow> windows = stackalloc TimeWindow[window.MaxWindowsPerEvent];
                var n = window.Assign(t, windows);
                foreach (var x in g)
                {
                    for (var i = 0; i < n; i++)
                    {
                        keys.Add(new WindowKey<TGroup>(windows[i], x));
                    }
                }
            },
            keyCodec,
            function,
            bufferCodec,
            (k, b) => result(k.Window, k.Group, b),
            mode,
            k => k.Window.EndMicros,
            $"WindowAggregate[{window.WindowMicros / 1000}ms/{window.SlideMicros / 1000}ms]");
        return Aggregate(spec);
    }

    /// <summary>
    /// Spark's <c>session_window</c> aggregation: per group, events closer than <paramref name="gap"/> form one
    /// session <c>[first event, last event + gap)</c>. Append (needs a watermark) or Complete mode.
    /// </summary>
    public AggregatedStream<T, TOut> SessionWindowAggregate<TGroup, TBuffer, TOut>(
        TimeSpan gap,
        Func<T, TGroup> group,
        IKeyCodec<TGroup> groupCodec,
        IAggregateFunction<T, TBuffer> function,
        IStateCodec<TBuffer> bufferCodec,
        Func<TimeWindow, TGroup, TBuffer, TOut> result,
        OutputMode mode,
        Func<T, long>? eventTimeMicros = null)
        where TGroup : notnull
    {
        var time = eventTimeMicros ?? EventTimeMicros ?? throw new InvalidOperationException("a session window needs an event-time column: call WithWatermark or pass eventTimeMicros");
        return new SessionWindowNode<T, TGroup, TBuffer, TOut>(this, time, gap.Ticks / 10, group, groupCodec, function, bufferCodec, result, mode);
    }

    /// <summary>
    /// Spark's <c>flatMapGroupsWithState</c>: per key, <paramref name="function"/> gets the batch's rows (arrival
    /// order) and the key's state, and may set an event-time or processing-time timeout; timed-out keys are
    /// called again with no rows and <see cref="GroupState{TState}.HasTimedOut"/> set.
    /// </summary>
    public DataStream<TOut> FlatMapGroupsWithState<TKey, TState, TOut>(
        Func<T, TKey> key,
        IKeyCodec<TKey> keyCodec,
        IStateCodec<TState> stateCodec,
        GroupStateTimeout timeout,
        Action<TKey, IReadOnlyList<T>, GroupState<TState>, List<TOut>> function,
        Func<TOut, long>? outputEventTimeMicros = null,
        LateRowPolicy lateRows = LateRowPolicy.Drop)
        where TKey : notnull =>
        new FlatMapGroupsWithStateNode<T, TKey, TState, TOut>(this, key, keyCodec, stateCodec, timeout, function, outputEventTimeMicros, lateRows);
}
