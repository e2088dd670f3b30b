using System.Numerics;

namespace Clickstream.Udfs.Raw;

/// <summary>
/// A reusable open-addressing table from 64-bit name hashes to small integer ids, so that checking the member
/// names of one line for duplicates and collisions costs linear time even for a line made of thousands of
/// fields. Callers compare the names behind equal hashes themselves when they need exact equality.
/// </summary>
internal sealed class NameTable
{
    private const int Empty = int.MinValue;

    private ulong[] _hashes = new ulong[32];
    private int[] _ids = new int[32];
    private int _mask;

    /// <summary>Empties the table and makes room for <paramref name="count"/> entries at a load of at most one half.</summary>
    public void Reset(int count)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, 2 * count));
        if (_ids.Length < size)
        {
            _hashes = new ulong[size];
            _ids = new int[size];
        }

        Array.Fill(_ids, Empty, 0, size);
        _mask = size - 1;
    }

    public void Add(ulong hash, int id)
    {
        var slot = (int)hash & _mask;
        while (_ids[slot] != Empty)
        {
            slot = (slot + 1) & _mask;
        }

        _hashes[slot] = hash;
        _ids[slot] = id;
    }

    public bool Contains(ulong hash)
    {
        var cursor = -1;
        return Next(hash, ref cursor, out _);
    }

    /// <summary>
    /// Walks the ids (the caller's; any value but <see cref="int.MinValue"/>) stored under <paramref name="hash"/>: start with <paramref name="cursor"/> = −1 and call
    /// until it returns false.
    /// </summary>
    public bool Next(ulong hash, ref int cursor, out int id)
    {
        var slot = cursor < 0 ? (int)hash & _mask : (cursor + 1) & _mask;
        while (_ids[slot] != Empty)
        {
            if (_hashes[slot] == hash)
            {
                cursor = slot;
                id = _ids[slot];
                return true;
            }

            slot = (slot + 1) & _mask;
        }

        cursor = slot;
        id = Empty;
        return false;
    }
}
