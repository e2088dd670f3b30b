using System.Runtime.InteropServices;
using Clickstream.Engine.Checkpointing;

namespace Clickstream.Engine.State;

/// <summary>
/// Deduplication state for 128-bit hashed keys in 16 bytes per slot: 95 bits of the key hash, a "changed since
/// the last commit" bit, and the expiry as 32 bits of milliseconds above a base that follows the watermark (the
/// last eviction limit), exact to the millisecond. The rare key whose expiry does not fit that range (more than
/// 49 days above the watermark, or below the base, as in a backfill spanning weeks) is kept exactly in a small
/// overflow map instead. Open addressing with linear probing; the table grows by 1.5× at 80% load, so a live key
/// costs 20–30 bytes. A 95-bit hash makes a false duplicate vanishingly unlikely (about 10⁻¹¹ after 10⁹ keys).
/// </summary>
/// <remarks>Owned by one partition worker at a time.</remarks>
public sealed class CompactDedupState : IDedupState<UInt128>
{
    private const uint Empty = 0;
    private const uint Tombstone = 1;
    private const uint MaxValue = uint.MaxValue; // a slot's expiry value is (expiry − base) + 1, from 2 up
    private const uint DirtyBit = 0x8000_0000;
    private const uint KeyMask = 0x7FFF_FFFF;
    private const int MinCapacity = 1024;

    // Deletions not yet committed whose tombstones a rehash dropped (rare: only when the table resizes mid-batch).
    private readonly List<(ulong A, uint B)> _pendingDeletes = [];

    // Keys whose expiry does not fit the table's 32-bit range above the base: exact, with a "changed" flag.
    private readonly Dictionary<(ulong A, uint B), (long ExpiryMs, bool Dirty)> _far = [];
    private Slot[] _slots = new Slot[MinCapacity];
    private int _live;
    private int _used;
    private long _baseMs;
    private bool _hasBase;

    /// <inheritdoc />
    public long Count => _live + _far.Count;

    /// <inheritdoc />
    public long MemoryBytes => ((long)_slots.Length * 16) + ((long)_far.Count * 48);

    /// <inheritdoc />
    public bool TryAdd(UInt128 key, long expiresAtMicros)
    {
        var a = (ulong)key;
        var b = (uint)(key >> 64) & KeyMask;
        if (_far.Count > 0 && _far.ContainsKey((a, b)))
        {
            return false;
        }

        var expiry = Time.Micros.FloorToMillis(expiresAtMicros);
        if (TryEncode(expiry, out var value))
        {
            return Insert(a, b, value, dirty: true);
        }

        if (Find(a, b) >= 0)
        {
            return false;
        }

        _far[(a, b)] = (expiry, true);
        return true;
    }

    /// <inheritdoc />
    public long RemoveExpired(long limitMicros)
    {
        var limit = Time.Micros.FloorToMillis(limitMicros);
        long removed = 0;
        var slots = _slots;
        for (var i = 0; i < slots.Length; i++)
        {
            ref var s = ref slots[i];
            if (s.Expiry <= Tombstone)
            {
                continue;
            }

            if (Decode(s.Expiry) <= limit)
            {
                // A key added and expired within one batch never reached a file; a delete record is harmless.
                s.Expiry = Tombstone;
                s.B |= DirtyBit;
                _live--;
                removed++;
            }
        }

        if (_far.Count > 0)
        {
            List<(ulong, uint)>? gone = null;
            foreach (var (key, (expiry, _)) in _far)
            {
                if (expiry <= limit)
                {
                    (gone ??= []).Add(key);
                }
            }

            if (gone is not null)
            {
                foreach (var key in gone)
                {
                    _far.Remove(key);
                    _pendingDeletes.Add(key);
                    removed++;
                }
            }
        }

        // Follow the watermark: every live expiry is now above the limit.
        Rebase(limit);

        if (_live < _slots.Length / 4 && _slots.Length > MinCapacity)
        {
            Rehash(Math.Max(MinCapacity, (int)(_live / 0.5)));
        }

        return removed;
    }

    /// <inheritdoc />
    public void Load(CheckpointFolder dir, long version)
    {
        _slots = new Slot[MinCapacity];
        _live = 0;
        _used = 0;
        _hasBase = false;
        _pendingDeletes.Clear();
        _far.Clear();
        var (snapshot, deltas) = StateVersions.Plan(dir, version);

        // Files list keys in table order; inserting them into a small table that grows would pile them into one
        // ever-longer probe run. Size the table for every record first (an upper bound of the live keys).
        // Each file is fetched once (a checkpoint may be remote) and kept until it is applied.
        var files = new List<(byte[] Bytes, string Location, byte Kind)>(deltas.Count + 1);
        if (snapshot > 0)
        {
            var name = StateFile.NameFor(snapshot, true);
            files.Add((StateFile.Load(dir, name), dir.Describe(name), StateFile.KindSnapshot));
        }

        foreach (var v in deltas)
        {
            var name = StateFile.NameFor(v, false);
            files.Add((StateFile.Load(dir, name), dir.Describe(name), StateFile.KindDelta));
        }

        long records = 0;
        foreach (var (bytes, location, _) in files)
        {
            records += StateFile.RecordCount(bytes, location);
        }

        _slots = new Slot[(int)Math.Clamp(records * 5 / 3, MinCapacity, Array.MaxLength / 16)];
        for (var i = 0; i < files.Count; i++)
        {
            var (bytes, location, kind) = files[i];
            files[i] = default;
            StateFile.Read(bytes, location, kind, Apply);
        }
    }

    /// <inheritdoc />
    public void Commit(CheckpointFolder dir, long version, bool snapshot)
    {
        StateFile.Write(dir, StateFile.NameFor(version, snapshot), snapshot ? StateFile.KindSnapshot : StateFile.KindDelta, w =>
        {
            // The base first: the records after it are absolute, but loading re-expresses them relative to it.
            w.Write(StateFile.TagMeta);
            w.Write(_hasBase);
            w.Write(_baseMs);
            long n = 1;
            if (!snapshot)
            {
                // Deletes before puts: a key removed and added again in one batch has a dirty tombstone and a
                // dirty live slot, and its final state is the live one.
                foreach (var (a, b) in _pendingDeletes)
                {
                    WriteDelete(w, a, b);
                    n++;
                }

                foreach (var s in _slots)
                {
                    if (s.Expiry == Tombstone && (s.B & DirtyBit) != 0)
                    {
                        WriteDelete(w, s.A, s.B & KeyMask);
                        n++;
                    }
                }
            }

            foreach (var s in _slots)
            {
                if (s.Expiry > Tombstone && (snapshot || (s.B & DirtyBit) != 0))
                {
                    WritePut(w, s.A, s.B & KeyMask, Decode(s.Expiry));
                    n++;
                }
            }

            foreach (var ((a, b), (expiry, dirty)) in _far)
            {
                if (snapshot || dirty)
                {
                    WritePut(w, a, b, expiry);
                    n++;
                }
            }

            return n;
        });

        _pendingDeletes.Clear();
        var slots = _slots;
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i].B &= KeyMask;
        }

        foreach (var key in _far.Keys)
        {
            CollectionsMarshal.GetValueRefOrNullRef(_far, key).Dirty = false;
        }
    }

    private static void WritePut(BinaryWriter w, ulong a, uint b, long expiryMs)
    {
        w.Write(StateFile.TagPut);
        w.Write(a);
        w.Write(b);
        w.Write(expiryMs);
    }

    private static void WriteDelete(BinaryWriter w, ulong a, uint b)
    {
        w.Write(StateFile.TagDelete);
        w.Write(a);
        w.Write(b);
    }

    /// <summary>The slot value of an expiry, when it fits the 32-bit range above the base.</summary>
    private bool TryEncode(long expiryMs, out uint value)
    {
        if (!_hasBase)
        {
            // Before the first eviction there is no watermark to follow: centre the range on the first expiry.
            _baseMs = expiryMs - (1L << 31);
            _hasBase = true;
        }

        var offset = expiryMs - _baseMs;
        value = offset >= 1 && offset < MaxValue ? (uint)(offset + 1) : 0;
        return value != 0;
    }

    private long Decode(uint value) => _baseMs + (value - 1);

    /// <summary>
    /// Moves the base up to <paramref name="baseMs"/> (bases only grow), re-expressing every slot's expiry; keys that
    /// no longer fit go to the overflow map, and overflow keys that now fit come back into the table.
    /// </summary>
    private void Rebase(long baseMs)
    {
        if (!_hasBase || baseMs <= _baseMs)
        {
            return;
        }

        var oldBase = _baseMs;
        _baseMs = baseMs;
        var slots = _slots;
        for (var i = 0; i < slots.Length; i++)
        {
            ref var s = ref slots[i];
            if (s.Expiry <= Tombstone)
            {
                continue;
            }

            var expiry = oldBase + (s.Expiry - 1);
            if (TryEncode(expiry, out var value))
            {
                s.Expiry = value;
            }
            else
            {
                // A move, not a delete: the tombstone is clean and the key keeps its "changed" flag.
                _far[(s.A, s.B & KeyMask)] = (expiry, (s.B & DirtyBit) != 0);
                s.Expiry = Tombstone;
                s.B &= KeyMask;
                _live--;
            }
        }

        if (_far.Count > 0)
        {
            List<(ulong A, uint B)>? back = null;
            foreach (var (key, (expiry, _)) in _far)
            {
                if (TryEncode(expiry, out _))
                {
                    (back ??= []).Add(key);
                }
            }

            if (back is not null)
            {
                foreach (var key in back)
                {
                    var (expiry, dirty) = _far[key];
                    _far.Remove(key);
                    TryEncode(expiry, out var value);
                    Insert(key.A, key.B, value, dirty);
                }
            }
        }
    }

    /// <summary>The slot holding the key, or −1.</summary>
    private int Find(ulong a, uint b)
    {
        var slots = _slots;
        var i = IndexOf(a);
        while (slots[i].Expiry != Empty)
        {
            if (slots[i].Expiry > Tombstone && slots[i].A == a && (slots[i].B & KeyMask) == b)
            {
                return i;
            }

            if (++i == slots.Length)
            {
                i = 0;
            }
        }

        return -1;
    }

    private void Apply(byte tag, BinaryReader r)
    {
        if (tag == StateFile.TagMeta)
        {
            var hasBase = r.ReadBoolean();
            var baseMs = r.ReadInt64();
            if (hasBase && (!_hasBase || _live == 0))
            {
                (_hasBase, _baseMs) = (true, baseMs);
            }
            else if (hasBase)
            {
                // Keys read from earlier files are relative to their base; bring them to this file's.
                Rebase(baseMs);
            }

            return;
        }

        var a = r.ReadUInt64();
        var b = r.ReadUInt32() & KeyMask;
        if (tag == StateFile.TagPut)
        {
            var expiry = r.ReadInt64();
            if (TryEncode(expiry, out var value))
            {
                Insert(a, b, value, dirty: false);
            }
            else
            {
                _far[(a, b)] = (expiry, false);
            }
        }
        else if (!Delete(a, b))
        {
            _far.Remove((a, b));
        }
    }

    private int IndexOf(ulong a) => (int)(((a >> 32) * (ulong)_slots.Length) >> 32);

    private bool Insert(ulong a, uint b, uint expiry, bool dirty)
    {
        if ((_used + 1) * 5L > _slots.Length * 4L)
        {
            Rehash(_live * 2L > _slots.Length ? (int)Math.Min(_slots.Length * 3L / 2, Array.MaxLength / 16) : _slots.Length);
        }

        var slots = _slots;
        var i = IndexOf(a);
        var firstTombstone = -1;
        while (true)
        {
            ref var s = ref slots[i];
            if (s.Expiry == Empty)
            {
                break;
            }

            if (s.Expiry == Tombstone)
            {
                // Only a committed tombstone may be reused: a dirty one still owes its delete record.
                if (firstTombstone < 0 && (s.B & DirtyBit) == 0)
                {
                    firstTombstone = i;
                }
            }
            else if (s.A == a && (s.B & KeyMask) == b)
            {
                return false;
            }

            if (++i == slots.Length)
            {
                i = 0;
            }
        }

        if (firstTombstone >= 0)
        {
            i = firstTombstone;
        }
        else
        {
            _used++;
        }

        slots[i] = new Slot { A = a, B = dirty ? b | DirtyBit : b, Expiry = expiry };
        _live++;
        return true;
    }

    private bool Delete(ulong a, uint b)
    {
        var i = Find(a, b);
        if (i < 0)
        {
            return false;
        }

        _slots[i].Expiry = Tombstone;
        _slots[i].B &= KeyMask;
        _live--;
        return true;
    }

    private void Rehash(int capacity)
    {
        var old = _slots;
        _slots = new Slot[Math.Max(capacity, MinCapacity)];
        _live = 0;
        _used = 0;
        foreach (var s in old)
        {
            if (s.Expiry > Tombstone)
            {
                Insert(s.A, s.B & KeyMask, s.Expiry, (s.B & DirtyBit) != 0);
            }
            else if (s.Expiry == Tombstone && (s.B & DirtyBit) != 0)
            {
                _pendingDeletes.Add((s.A, s.B & KeyMask));
            }
        }
    }

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct Slot
    {
        public ulong A;
        public uint B;
        public uint Expiry;
    }
}
