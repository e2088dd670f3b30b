using Clickstream.Engine.Checkpointing;

namespace Clickstream.Engine.State;

/// <summary>The general-purpose deduplication state: a hash map from key to expiry, for any key type.</summary>
internal sealed class DictionaryDedupState<TKey>(IKeyCodec<TKey> codec) : IDedupState<TKey>
    where TKey : notnull
{
    private readonly KeyValueState<TKey, long> _state = new(codec, ValueCodecs.Int64, 48);

    public long Count => _state.Count;

    public long MemoryBytes => _state.MemoryBytes;

    public bool TryAdd(TKey key, long expiresAtMicros)
    {
        if (_state.TryGet(key, out _))
        {
            return false;
        }

        _state.Put(key, expiresAtMicros);
        return true;
    }

    public long RemoveExpired(long limitMicros)
    {
        List<TKey>? expired = null;
        foreach (var (key, expiry) in _state.Rows)
        {
            if (expiry <= limitMicros)
            {
                (expired ??= []).Add(key);
            }
        }

        if (expired is null)
        {
            return 0;
        }

        foreach (var key in expired)
        {
            _state.Remove(key);
        }

        return expired.Count;
    }

    public void Load(CheckpointFolder dir, long version) => _state.Load(dir, version);

    public void Commit(CheckpointFolder dir, long version, bool snapshot) => _state.Commit(dir, version, snapshot);
}
