using Clickstream.Engine.State;

namespace Clickstream.Engine.Plan;

/// <summary>
/// The definition of a grouped aggregation.
/// </summary>
/// <param name="Keys">Adds the group keys a row belongs to (one for a plain group-by, one per window for windows).</param>
/// <param name="KeyCodec">Equality, stable hash and serialisation of keys.</param>
/// <param name="Function">The aggregate.</param>
/// <param name="BufferCodec">Serialisation of aggregate buffers in state files.</param>
/// <param name="Result">Builds an output row from a key and its buffer.</param>
/// <param name="Mode">The output mode.</param>
/// <param name="KeyEventTimeMicros">The event time a key is judged by against the watermark (a window's end, or a raw
/// event-time key); null when the key has no event time, in which case state is never evicted.</param>
/// <param name="Name">The operator name in progress reports.</param>
public sealed record AggregationSpec<T, TKey, TBuffer, TOut>(
    Action<T, List<TKey>> Keys,
    IKeyCodec<TKey> KeyCodec,
    IAggregateFunction<T, TBuffer> Function,
    IStateCodec<TBuffer> BufferCodec,
    Func<TKey, TBuffer, TOut> Result,
    OutputMode Mode,
    Func<TKey, long>? KeyEventTimeMicros = null,
    string Name = "Aggregate");
