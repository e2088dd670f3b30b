using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Clickstream.Engine.Sketches;

/// <summary>
/// A HyperLogLog++-style sketch that estimates the number of distinct values seen, from 64-bit hashes
/// of those values supplied by the caller.
/// </summary>
/// <remarks>
/// <para>
/// Small sketches keep a sparse set of (index, rank) entries at a fixed index precision of 25 bits, so they
/// cost a few bytes per distinct value and count almost exactly. When the set would outgrow the dense form
/// (more than <c>3/16</c> of the register count in entries) the sketch switches to <c>2^precision</c>
/// one-byte registers. Dense estimates use Ertl's improved raw estimator, which is unbiased across the
/// whole range without empirical correction tables; the relative standard error is about
/// <c>1.04 / sqrt(2^precision)</c>, 0.81% at the default precision of 14.
/// </para>
/// <para>
/// Merging is exact: merging two sketches yields the same registers as one sketch fed both inputs.
/// <see cref="Add"/> and <see cref="Merge"/> need exclusive access; the other members only read, so
/// concurrent readers are safe while no thread writes.
/// </para>
/// </remarks>
public sealed class HyperLogLog
{
    /// <summary>The smallest supported precision (16 registers).</summary>
    public const int MinPrecision = 4;

    /// <summary>The largest supported precision (262,144 registers).</summary>
    public const int MaxPrecision = 18;

    /// <summary>The default precision: 16,384 registers, about 0.81% relative standard error.</summary>
    public const int DefaultPrecision = 14;

    // Sparse entries keep a 25-bit index so that small sketches see almost no collisions; 25 bits plus a
    // 6-bit rank fit one uint, and every supported dense precision is a prefix of the sparse index.
    internal const int SparsePrecision = 25;
    internal const int SparseRankBits = 6;
    internal const uint SparseRankMask = (1u << SparseRankBits) - 1;
    internal const int MaxSparseRank = 64 - SparsePrecision + 1;

    private const int InitialSparseSlots = 4;

    private readonly int _precision;
    private readonly ulong _denseSentinel;
    private readonly int _sparseThreshold;

    // Sparse form: an open-addressing set keyed by sparse index, linear probing, power-of-two length,
    // at most three quarters full. Zero marks an empty slot; real entries have a rank of at least 1.
    private uint[] _slots = [];
    private int _slotShift;
    private int _count;
    private byte[]? _dense;

    /// <summary>Creates an empty sketch.</summary>
    /// <param name="precision">
    /// Number of index bits, <see cref="MinPrecision"/> to <see cref="MaxPrecision"/>; the dense form has
    /// <c>2^precision</c> registers.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="precision"/> is outside the supported range.</exception>
    public HyperLogLog(int precision = DefaultPrecision)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(precision, MinPrecision);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(precision, MaxPrecision);
        _precision = precision;
        // Setting the bit just below the rank field caps the rank at 64 - precision + 1 for an all-zero tail.
        _denseSentinel = 1UL << (precision - 1);
        _sparseThreshold = SparseThresholdFor(precision);
    }

    /// <summary>The number of index bits; the dense form has <c>2^Precision</c> registers.</summary>
    public int Precision => _precision;

    /// <summary>Whether nothing has been added or merged in yet.</summary>
    public bool IsEmpty => _dense is { } dense ? !dense.AsSpan().ContainsAnyExcept((byte)0) : _count == 0;

    /// <summary>Whether the sketch currently uses the sparse representation.</summary>
    internal bool IsSparse => _dense is null;

    /// <summary>
    /// The largest number of sparse entries kept before switching to dense registers: a set of
    /// <c>m/4</c> four-byte slots, three quarters full, takes as much memory as <c>m</c> one-byte registers.
    /// </summary>
    internal static int SparseThresholdFor(int precision) => 3 * (1 << precision) / 16;

    /// <summary>Adds one value, given as a well-mixed 64-bit hash of it (for example XxHash3).</summary>
    /// <param name="hash">The value's hash; all 64 bits are used.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ulong hash)
    {
        var dense = _dense;
        if (dense is not null)
        {
            var index = (nuint)(hash >> (64 - _precision));
            var rank = (byte)(BitOperations.LeadingZeroCount((hash << _precision) | _denseSentinel) + 1);
            // index < 2^precision == dense.Length by construction, so the bounds check is redundant.
            ref var register = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(dense), index);
            if (rank > register)
            {
                register = rank;
            }

            return;
        }

        AddSparse(EncodeSparse(hash));
    }

    /// <summary>Estimates the number of distinct values added.</summary>
    /// <returns>The estimate, rounded to the nearest integer; 0 for an empty sketch.</returns>
    public long Estimate()
    {
        var estimate = _dense is { } dense
            ? HyperLogLogEstimator.ImprovedRawEstimate(dense, _precision)
            : HyperLogLogEstimator.LinearCounting(1 << SparsePrecision, (1 << SparsePrecision) - _count);
        return (long)Math.Round(estimate, MidpointRounding.AwayFromZero);
    }

    /// <summary>Folds <paramref name="other"/> into this sketch, which then counts the union of both inputs.</summary>
    /// <param name="other">A sketch of the same precision; it is not modified.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException">The sketches have different precisions.</exception>
    public void Merge(HyperLogLog other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._precision != _precision)
        {
            throw new ArgumentException(
                $"Cannot merge a HyperLogLog sketch of precision {other._precision} into one of precision {_precision}; both sketches must use the same precision.",
                nameof(other));
        }

        if (ReferenceEquals(other, this))
        {
            return;
        }

        if (other._dense is { } otherDense)
        {
            if (_dense is null)
            {
                ConvertToDense();
            }

            MaxInto(_dense!, otherDense);
            return;
        }

        // Inserting the other sketch's entries one by one switches to dense at exactly the point a single
        // sketch fed both inputs would, so the representation as well as the registers match.
        foreach (var entry in other._slots)
        {
            if (entry == 0)
            {
                continue;
            }

            if (_dense is { } dense)
            {
                ApplySparseEntry(dense, _precision, entry);
            }
            else
            {
                AddSparse(entry);
            }
        }
    }

    /// <summary>Creates an independent copy of this sketch.</summary>
    /// <returns>A sketch with the same precision and contents.</returns>
    public HyperLogLog Clone()
    {
        var copy = new HyperLogLog(_precision);
        if (_dense is { } dense)
        {
            copy._dense = (byte[])dense.Clone();
        }
        else
        {
            copy._slots = (uint[])_slots.Clone();
            copy._slotShift = _slotShift;
            copy._count = _count;
        }

        return copy;
    }

    /// <summary>Serializes the sketch in the format described in <c>docs/formats/hll-sketch.md</c>.</summary>
    /// <returns>A new array holding the serialized sketch.</returns>
    public byte[] ToBytes()
    {
        if (_dense is { } dense)
        {
            var denseBytes = new byte[HyperLogLogFormat.DenseSize(_precision)];
            HyperLogLogFormat.WriteDense(denseBytes, _precision, dense);
            return denseBytes;
        }

        var rented = ArrayPool<uint>.Shared.Rent(_count);
        var entries = SortedEntries(rented);
        var bytes = new byte[HyperLogLogFormat.SparseSize(entries)];
        HyperLogLogFormat.WriteSparse(bytes, _precision, entries);
        ArrayPool<uint>.Shared.Return(rented);
        return bytes;
    }

    /// <summary>Writes the serialized sketch (see <see cref="ToBytes"/>) to <paramref name="writer"/>.</summary>
    /// <param name="writer">The destination.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_dense is { } dense)
        {
            var denseSize = HyperLogLogFormat.DenseSize(_precision);
            HyperLogLogFormat.WriteDense(writer.GetSpan(denseSize)[..denseSize], _precision, dense);
            writer.Advance(denseSize);
            return;
        }

        var rented = ArrayPool<uint>.Shared.Rent(_count);
        var entries = SortedEntries(rented);
        var size = HyperLogLogFormat.SparseSize(entries);
        HyperLogLogFormat.WriteSparse(writer.GetSpan(size)[..size], _precision, entries);
        writer.Advance(size);
        ArrayPool<uint>.Shared.Return(rented);
    }

    /// <summary>Reads a sketch written by <see cref="ToBytes"/> or <see cref="WriteTo"/>.</summary>
    /// <param name="data">Exactly one serialized sketch.</param>
    /// <returns>The sketch.</returns>
    /// <exception cref="InvalidDataException">
    /// The data is truncated, has trailing bytes, an unknown version or representation, or out-of-range values.
    /// </exception>
    public static HyperLogLog FromBytes(ReadOnlySpan<byte> data)
    {
        var precision = HyperLogLogFormat.ReadHeader(data, out var dense);
        var sketch = new HyperLogLog(precision);
        if (dense)
        {
            sketch._dense = HyperLogLogFormat.ReadDense(data, precision);
        }
        else
        {
            // The reader guarantees at most the threshold of entries with distinct indexes, so these
            // inserts neither switch to dense nor collapse entries.
            foreach (var entry in HyperLogLogFormat.ReadSparse(data, sketch._sparseThreshold))
            {
                sketch.AddSparse(entry);
            }
        }

        return sketch;
    }

    /// <summary>The dense registers this sketch is equivalent to, whatever its representation.</summary>
    internal byte[] GetDenseRegisters()
    {
        if (_dense is { } dense)
        {
            return (byte[])dense.Clone();
        }

        var registers = new byte[1 << _precision];
        foreach (var entry in _slots)
        {
            if (entry != 0)
            {
                ApplySparseEntry(registers, _precision, entry);
            }
        }

        return registers;
    }

    /// <summary>Packs the 25-bit sparse index and the rank of the remaining 39 bits into one entry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint EncodeSparse(ulong hash)
    {
        var index = (uint)(hash >> (64 - SparsePrecision));
        var rank = (uint)BitOperations.LeadingZeroCount((hash << SparsePrecision) | (1UL << (SparsePrecision - 1))) + 1;
        return (index << SparseRankBits) | rank;
    }

    /// <summary>Raises the dense register that a sparse entry maps to, as adding the original hash would.</summary>
    internal static void ApplySparseEntry(byte[] registers, int precision, uint entry)
    {
        var sparseIndex = entry >> SparseRankBits;
        var extraBits = SparsePrecision - precision;
        var index = sparseIndex >> extraBits;
        var between = sparseIndex & ((1u << extraBits) - 1);
        // The dense rank counts the leading zeros of everything after the dense index: first the sparse
        // index bits the dense index drops, then the bits the sparse rank was taken from.
        var rank = between != 0
            ? BitOperations.LeadingZeroCount(between) - (32 - extraBits) + 1
            : extraBits + (int)(entry & SparseRankMask);
        if (rank > registers[index])
        {
            registers[index] = (byte)rank;
        }
    }

    private void AddSparse(uint entry)
    {
        var slots = _slots;
        if (slots.Length == 0)
        {
            slots = Resize(Math.Min(InitialSparseSlots, MaxSparseSlots()));
        }

        var key = entry >> SparseRankBits;
        var mask = slots.Length - 1;
        var slot = SlotFor(key);
        while (true)
        {
            var existing = slots[slot];
            if (existing == 0)
            {
                break;
            }

            if ((existing >> SparseRankBits) == key)
            {
                // Same index: entries with equal keys order by rank, so the larger value wins.
                if (entry > existing)
                {
                    slots[slot] = entry;
                }

                return;
            }

            slot = (slot + 1) & mask;
        }

        if (_count == _sparseThreshold)
        {
            ConvertToDense();
            ApplySparseEntry(_dense!, _precision, entry);
            return;
        }

        if ((_count + 1) * 4 > slots.Length * 3)
        {
            slots = Resize(slots.Length * 2);
            mask = slots.Length - 1;
            slot = SlotFor(key);
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
        }

        slots[slot] = entry;
        _count++;
    }

    // Fibonacci hashing spreads indexes even when callers' hashes are weak in the bits the index comes from.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SlotFor(uint key) => (int)((key * 0x9E3779B9u) >> _slotShift);

    private int MaxSparseSlots() => (1 << _precision) / 4;

    private uint[] Resize(int length)
    {
        var old = _slots;
        var slots = new uint[length];
        _slots = slots;
        _slotShift = 32 - BitOperations.Log2((uint)length);
        var mask = length - 1;
        foreach (var entry in old)
        {
            if (entry == 0)
            {
                continue;
            }

            var slot = SlotFor(entry >> SparseRankBits);
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = entry;
        }

        return slots;
    }

    /// <summary>Copies the sparse entries into <paramref name="buffer"/> in ascending order.</summary>
    private ReadOnlySpan<uint> SortedEntries(uint[] buffer)
    {
        var length = 0;
        foreach (var entry in _slots)
        {
            if (entry != 0)
            {
                buffer[length++] = entry;
            }
        }

        var entries = buffer.AsSpan(0, length);
        entries.Sort();
        return entries;
    }

    private void ConvertToDense()
    {
        var registers = new byte[1 << _precision];
        foreach (var entry in _slots)
        {
            if (entry != 0)
            {
                ApplySparseEntry(registers, _precision, entry);
            }
        }

        _dense = registers;
        _slots = [];
        _slotShift = 0;
        _count = 0;
    }

    private static void MaxInto(byte[] target, byte[] source)
    {
        var targetSpan = target.AsSpan();
        var sourceSpan = source.AsSpan(0, target.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= targetSpan.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                var merged = Vector.Max(new Vector<byte>(targetSpan[i..]), new Vector<byte>(sourceSpan[i..]));
                merged.CopyTo(targetSpan[i..]);
            }
        }

        for (; i < targetSpan.Length; i++)
        {
            if (sourceSpan[i] > targetSpan[i])
            {
                targetSpan[i] = sourceSpan[i];
            }
        }
    }
}
