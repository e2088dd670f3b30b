using Clickstream.Engine.Checkpointing;

namespace Clickstream.Engine.State;

/// <summary>
/// A hash map of state rows for one operator partition, with a change log so that a commit writes only the
/// delta. Used by the driver's worker for that partition only (one thread at a time).
/// </summary>
internal sealed class KeyValueState<TKey, TValue> : IPartitionState
    where TKey : notnull
{
    private readonly IKeyCodec<TKey> _keyCodec;
    private readonly IStateCodec<TValue> _valueCodec;
    private readonly int _bytesPerRowEstimate;
    private readonly List<(TKey Key, bool Put)> _changes = [];
    private Dictionary<TKey, TValue> _map;

    public KeyValueState(IKeyCodec<TKey> keyCodec, IStateCodec<TValue> valueCodec, int bytesPerRowEstimate = 64)
    {
        _keyCodec = keyCodec;
        _valueCodec = valueCodec;
        _bytesPerRowEstimate = bytesPerRowEstimate;
        _map = new Dictionary<TKey, TValue>(keyCodec);
    }

    public long Count => _map.Count;

    public long MemoryBytes => (long)_map.Count * _bytesPerRowEstimate;

    public Dictionary<TKey, TValue>.KeyCollection Keys => _map.Keys;

    public Dictionary<TKey, TValue> Rows => _map;

    public bool TryGet(TKey key, out TValue value) => _map.TryGetValue(key, out value!);

    public void Put(TKey key, TValue value)
    {
        _map[key] = value;
        _changes.Add((key, true));
    }

    public bool Remove(TKey key)
    {
        if (!_map.Remove(key))
        {
            return false;
        }

        _changes.Add((key, false));
        return true;
    }

    public void Load(CheckpointFolder dir, long version)
    {
        _map = new Dictionary<TKey, TValue>(_keyCodec);
        _changes.Clear();
        var (snapshot, deltas) = StateVersions.Plan(dir, version);
        if (snapshot > 0)
        {
            StateFile.Read(StateFile.Load(dir, StateFile.NameFor(snapshot, true)), dir.Describe(StateFile.NameFor(snapshot, true)), StateFile.KindSnapshot, Apply);
        }

        foreach (var v in deltas)
        {
            StateFile.Read(StateFile.Load(dir, StateFile.NameFor(v, false)), dir.Describe(StateFile.NameFor(v, false)), StateFile.KindDelta, Apply);
        }
    }

    public void Commit(CheckpointFolder dir, long version, bool snapshot)
    {
        if (snapshot)
        {
            StateFile.Write(dir, StateFile.NameFor(version, true), StateFile.KindSnapshot, w =>
            {
                foreach (var (k, v) in _map)
                {
                    w.Write(StateFile.TagPut);
                    _keyCodec.Write(w, k);
                    _valueCodec.Write(w, v);
                }

                return _map.Count;
            });
        }
        else
        {
            StateFile.Write(dir, StateFile.NameFor(version, false), StateFile.KindDelta, w =>
            {
                // Replaying the log in order is equivalent to the final values; a put records the value as of now.
                long n = 0;
                foreach (var (k, put) in _changes)
                {
                    if (put)
                    {
                        if (!_map.TryGetValue(k, out var v))
                        {
                            continue; // put then removed later in the same batch: the removal record follows
                        }

                        w.Write(StateFile.TagPut);
                        _keyCodec.Write(w, k);
                        _valueCodec.Write(w, v);
                    }
                    else
                    {
                        w.Write(StateFile.TagDelete);
                        _keyCodec.Write(w, k);
                    }

                    n++;
                }

                return n;
            });
        }

        _changes.Clear();
    }

    private void Apply(byte tag, BinaryReader r)
    {
        var key = _keyCodec.Read(r);
        if (tag == StateFile.TagPut)
        {
            _map[key] = _valueCodec.Read(r);
        }
        else
        {
            _map.Remove(key);
        }
    }
}
