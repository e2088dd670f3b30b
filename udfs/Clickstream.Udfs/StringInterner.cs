using System.IO.Hashing;
using System.Numerics;
using System.Text;

namespace Clickstream.Udfs;

/// <summary>
/// A bounded cache from UTF-8 bytes to one shared <see cref="string"/> instance, so that low-cardinality values
/// (categories, product ids, unknown event types) cost no allocation per event once seen.
/// </summary>
/// <remarks>
/// It is a cache, not a canonicalising table: memory is fixed at construction, and when a bucket is full a new
/// value replaces an old one (round robin), so an evicted value later comes back as an equal but new instance.
/// A hostile stream of unique values therefore churns the cache instead of growing it. Values longer than
/// <see cref="MaxCachedBytes"/> are decoded and never cached. Not thread-safe: each parser owns its interners.
/// </remarks>
internal sealed class StringInterner
{
    /// <summary>Slots per bucket: a lookup compares at most this many hashes.</summary>
    private const int Ways = 4;

    private readonly Entry[] _entries;
    private readonly ulong _bucketMask;
    private uint _nextVictim;

    /// <param name="capacity">Maximum number of cached values; rounded up to a power of two, at least <see cref="Ways"/>.</param>
    /// <param name="maxCachedBytes">Longer values are not cached, so that one entry's memory is bounded too.</param>
    public StringInterner(int capacity, int maxCachedBytes = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCachedBytes);
        var slots = (int)Math.Max(Ways, BitOperations.RoundUpToPowerOf2((uint)capacity));
        _entries = new Entry[slots];
        _bucketMask = (ulong)(slots / Ways) - 1;
        MaxCachedBytes = maxCachedBytes;
    }

    public int Capacity => _entries.Length;

    public int MaxCachedBytes { get; }

    /// <summary>Values currently cached.</summary>
    public int Count { get; private set; }

    /// <summary>Returns the cached string equal to <paramref name="utf8"/>, decoding and caching it on a miss.</summary>
    public string Intern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxCachedBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = XxHash3.HashToUInt64(utf8);

        // The low bits pick the bucket; the full hash is compared first so that byte comparisons only run on hits.
        var start = (int)(hash & _bucketMask) * Ways;
        var free = -1;
        for (var i = start; i < start + Ways; i++)
        {
            ref readonly var entry = ref _entries[i];
            if (entry.Value is null)
            {
                free = free < 0 ? i : free;
            }
            else if (entry.Hash == hash && utf8.SequenceEqual(entry.Utf8))
            {
                return entry.Value;
            }
        }

        var value = Encoding.UTF8.GetString(utf8);
        if (free < 0)
        {
            free = start + (int)(_nextVictim++ % Ways);
        }
        else
        {
            Count++;
        }

        _entries[free] = new Entry(hash, utf8.ToArray(), value);
        return value;
    }

    private readonly record struct Entry(ulong Hash, byte[] Utf8, string? Value);
}
