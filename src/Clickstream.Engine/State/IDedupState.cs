namespace Clickstream.Engine.State;

/// <summary>
/// The key set of a deduplication operator partition: each key with the time (µs, compared with
/// <c>watermarkMs × 1000</c>) at which it may be forgotten. Operators pass whole milliseconds (Spark keeps
/// <c>expiresAt</c> in ms); an implementation may keep millisecond precision.
/// </summary>
/// <typeparam name="TKey">The deduplication key.</typeparam>
public interface IDedupState<TKey> : IPartitionState
{
    /// <summary>Adds <paramref name="key"/> if absent; returns true when it was added (the row is the first of its key).</summary>
    bool TryAdd(TKey key, long expiresAtMicros);

    /// <summary>Removes every key whose expiry is at or before <paramref name="limitMicros"/>; returns how many.</summary>
    long RemoveExpired(long limitMicros);
}
