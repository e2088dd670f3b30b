using System.Runtime.InteropServices;

namespace Clickstream.Engine.State;

/// <summary>
/// Deduplication state for 128-bit hashed keys in 16 bytes per slot: 96 bits of the key hash and the expiry in
/// whole seconds since 2000-01-01 (rounded up, so a key is kept at least as long as asked). Open addressing with
/// linear probing and tombstones; the table grows by 1.5× at 80% load, so live keys cost 20–30 bytes each.
/// A 96-bit hash makes a false duplicate vanishingly unlikely (about 10⁻¹² after 10⁹ keys).
/// Changes since the last commit are marked in the slots themselves (the top bit of the expiry), so a commit
/// finds them with one scan and no side list: memory is the table alone.
/// </summary>
public sealed class CompactDedupState : IDedupState<UInt128>
{
    private const uint Empty = 0;
    private const uint Tombstone = 1;
    private const uint Dirty = 0x8000_0000;
    private const uint ValueMask = 0x7FFF_FFFF;
    private const long EpochMicros = 946_684_800_000_000; // 2000-01-01T00:00:00Z
    private const int MinCapacity = 1024;

    // Deletions not yet committed whose tombstones a rehash dropped (rare: only when the table resizes mid-batch).
    private readonly List<(ulong A, uint B)> _pendingDeletes = [];
    private Slot[] _slots = new Slot[MinCapacity];
    private int _live;
    private int _used;

    /// <inheritdoc />
    public long Count => _live;

    /// <inheritdoc />
    public long MemoryBytes => (long)_slots.Length * 16;

    /// <inheritdoc />
    public bool TryAdd(UInt128 key, long expiresAtMicros)
    {
        var a = (ulong)key;
        var b = (uint)(key >> 64);
        var expiry = ToSeconds(expiresAtMicros);
        return Insert(a, b, expiry | Dirty);
    }

    /// <inheritdoc />
    public long RemoveExpired(long limitMicros)
    {
        // Expired when expiry·1s + epoch <= limit, i.e. expiry <= floor((limit − epoch) / 1s).
        var limit = limitMicros <= EpochMicros ? 0 : (limitMicros - EpochMicros) / 1_000_000;
        if (limit < 2)
        {
            return 0;
        }

        long removed = 0;
        var slots = _slots;
        for (var i = 0; i < slots.Length; i++)
        {
            ref var s = ref slots[i];
            var value = s.Expiry & ValueMask;
            if (value > Tombstone && value <= limit)
            {
                // A key added and expired within one batch never reached a file; a delete record is harmless.
                s.Expiry = Tombstone | Dirty;
                _live--;
                removed++;
            }
        }

        if (_live < _slots.Length / 4 && _slots.Length > MinCapacity)
        {
            Rehash(Math.Max(MinCapacity, (int)(_live / 0.5)));
        }

        return removed;
    }

    /// <inheritdoc />
    public void Load(string dir, long version)
    {
        _slots = new Slot[MinCapacity];
        _live = 0;
        _used = 0;
        _pendingDeletes.Clear();
        var (snapshot, deltas) = StateVersions.Plan(dir, version);
        if (snapshot > 0)
        {
            StateFile.Read(StateFile.PathFor(dir, snapshot, true), StateFile.KindSnapshot, Apply);
        }

        foreach (var v in deltas)
        {
            StateFile.Read(StateFile.PathFor(dir, v, false), StateFile.KindDelta, Apply);
        }
    }

    /// <inheritdoc />
    public void Commit(string dir, long version, bool snapshot)
    {
        if (snapshot)
        {
            StateFile.Write(StateFile.PathFor(dir, version, true), StateFile.KindSnapshot, w =>
            {
                foreach (var s in _slots)
                {
                    if ((s.Expiry & ValueMask) > Tombstone)
                    {
                        WriteRecord(w, StateFile.TagPut, s.A, s.B, s.Expiry & ValueMask);
                    }
                }

                return _live;
            });
        }
        else
        {
            StateFile.Write(StateFile.PathFor(dir, version, false), StateFile.KindDelta, w =>
            {
                // Deletes first: a key removed and added again in one batch has a dirty tombstone and a dirty
                // live slot, and its final state is the live one.
                long n = 0;
                foreach (var (a, b) in _pendingDeletes)
                {
                    WriteRecord(w, StateFile.TagDelete, a, b, 0);
                    n++;
                }

                foreach (var s in _slots)
                {
                    if (s.Expiry == (Tombstone | Dirty))
                    {
                        WriteRecord(w, StateFile.TagDelete, s.A, s.B, 0);
                        n++;
                    }
                }

                foreach (var s in _slots)
                {
                    if ((s.Expiry & Dirty) != 0 && (s.Expiry & ValueMask) > Tombstone)
                    {
                        WriteRecord(w, StateFile.TagPut, s.A, s.B, s.Expiry & ValueMask);
                        n++;
                    }
                }

                return n;
            });
        }

        _pendingDeletes.Clear();
        var slots = _slots;
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i].Expiry &= ValueMask;
        }
    }

    private static uint ToSeconds(long micros)
    {
        if (micros <= EpochMicros)
        {
            return 2;
        }

        // 31 bits of seconds reach 2068; later expiries are kept until then (the top bit marks unsaved changes).
        var seconds = ((micros - EpochMicros) + 999_999) / 1_000_000;
        return seconds >= ValueMask ? ValueMask : (uint)Math.Max(2, seconds);
    }

    private static void WriteRecord(BinaryWriter w, byte tag, ulong a, uint b, uint expiry)
    {
        w.Write(tag);
        w.Write(a);
        w.Write(b);
        if (tag == StateFile.TagPut)
        {
            w.Write(expiry);
        }
    }

    private void Apply(byte tag, BinaryReader r)
    {
        var a = r.ReadUInt64();
        var b = r.ReadUInt32();
        if (tag == StateFile.TagPut)
        {
            Insert(a, b, r.ReadUInt32() & ValueMask);
        }
        else
        {
            Delete(a, b);
        }
    }

    private int IndexOf(ulong a) => (int)(((a >> 32) * (ulong)_slots.Length) >> 32);

    private bool Insert(ulong a, uint b, uint expiry)
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

            if ((s.Expiry & ValueMask) == Tombstone)
            {
                // Only a committed tombstone may be reused: a dirty one still owes its delete record.
                if (firstTombstone < 0 && s.Expiry == Tombstone)
                {
                    firstTombstone = i;
                }
            }
            else if (s.A == a && s.B == b)
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

        slots[i] = new Slot { A = a, B = b, Expiry = expiry };
        _live++;
        return true;
    }

    private void Delete(ulong a, uint b)
    {
        var slots = _slots;
        var i = IndexOf(a);
        while (slots[i].Expiry != Empty)
        {
            if (slots[i].Expiry > Tombstone && slots[i].A == a && slots[i].B == b)
            {
                slots[i].Expiry = Tombstone;
                _live--;
                return;
            }

            if (++i == slots.Length)
            {
                i = 0;
            }
        }
    }

    private void Rehash(int capacity)
    {
        var old = _slots;
        _slots = new Slot[Math.Max(capacity, MinCapacity)];
        _live = 0;
        _used = 0;
        foreach (var s in old)
        {
            if ((s.Expiry & ValueMask) > Tombstone)
            {
                Insert(s.A, s.B, s.Expiry);
            }
            else if (s.Expiry == (Tombstone | Dirty))
            {
                _pendingDeletes.Add((s.A, s.B));
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
