namespace Clickstream.Engine.Sketches;

/// <summary>
/// The byte format of a serialized <see cref="HyperLogLog"/>, version 1; see <c>docs/formats/hll-sketch.md</c>.
/// </summary>
/// <remarks>
/// Layout: version byte, precision byte, representation byte, then either a varint entry count followed
/// by varint deltas between consecutive sorted sparse entries, or the dense registers packed six bits each,
/// four registers to three bytes, least significant bits first.
/// </remarks>
internal static class HyperLogLogFormat
{
    internal const byte Version = 1;
    internal const byte SparseRepresentation = 0;
    internal const byte DenseRepresentation = 1;
    internal const int HeaderSize = 3;

    private const int MaxVarintLength = 5;

    // A sparse entry is a 25-bit index above a 6-bit rank.
    private const ulong MaxSparseEntry = (1UL << (HyperLogLog.SparsePrecision + HyperLogLog.SparseRankBits)) - 1;

    /// <summary>Serialized size of a sparse sketch whose sorted, deduplicated entries are given.</summary>
    internal static int SparseSize(ReadOnlySpan<uint> entries)
    {
        var size = HeaderSize + VarintLength((uint)entries.Length);
        var previous = 0u;
        foreach (var entry in entries)
        {
            size += VarintLength(entry - previous);
            previous = entry;
        }

        return size;
    }

    /// <summary>Serialized size of a dense sketch: six bits per register.</summary>
    internal static int DenseSize(int precision) => HeaderSize + ((1 << precision) / 4 * 3);

    internal static void WriteSparse(Span<byte> destination, int precision, ReadOnlySpan<uint> entries)
    {
        WriteHeader(destination, precision, SparseRepresentation);
        var offset = HeaderSize;
        offset += WriteVarint(destination[offset..], (uint)entries.Length);
        var previous = 0u;
        foreach (var entry in entries)
        {
            offset += WriteVarint(destination[offset..], entry - previous);
            previous = entry;
        }
    }

    internal static void WriteDense(Span<byte> destination, int precision, ReadOnlySpan<byte> registers)
    {
        WriteHeader(destination, precision, DenseRepresentation);
        var output = destination[HeaderSize..];
        var o = 0;
        for (var i = 0; i < registers.Length; i += 4)
        {
            var packed = registers[i]
                | (registers[i + 1] << 6)
                | (registers[i + 2] << 12)
                | (registers[i + 3] << 18);
            output[o] = (byte)packed;
            output[o + 1] = (byte)(packed >> 8);
            output[o + 2] = (byte)(packed >> 16);
            o += 3;
        }
    }

    /// <summary>Validates the header and returns the precision and representation.</summary>
    internal static int ReadHeader(ReadOnlySpan<byte> data, out bool dense)
    {
        if (data.Length < HeaderSize)
        {
            throw new InvalidDataException(
                $"HyperLogLog sketch is truncated: {data.Length} bytes, but the header alone is {HeaderSize} bytes.");
        }

        if (data[0] != Version)
        {
            throw new InvalidDataException(
                $"Unsupported HyperLogLog sketch format version {data[0]}; this reader supports version {Version}.");
        }

        int precision = data[1];
        if (precision is < HyperLogLog.MinPrecision or > HyperLogLog.MaxPrecision)
        {
            throw new InvalidDataException(
                $"HyperLogLog sketch precision {precision} is outside the supported range {HyperLogLog.MinPrecision}..{HyperLogLog.MaxPrecision}.");
        }

        dense = data[2] switch
        {
            SparseRepresentation => false,
            DenseRepresentation => true,
            _ => throw new InvalidDataException(
                $"Unknown HyperLogLog sketch representation {data[2]}; expected {SparseRepresentation} (sparse) or {DenseRepresentation} (dense)."),
        };
        return precision;
    }

    /// <summary>Reads and validates the sparse entries that follow a sparse header.</summary>
    internal static uint[] ReadSparse(ReadOnlySpan<byte> data, int maxEntries)
    {
        var offset = HeaderSize;
        var count = ReadVarint(data, ref offset);
        // Checking against the threshold and the bytes left (each entry needs at least one) before
        // allocating keeps a corrupt count from requesting a huge array.
        if (count > (uint)maxEntries)
        {
            throw new InvalidDataException(
                $"HyperLogLog sketch has {count} sparse entries; at most {maxEntries} are allowed at precision {data[1]}.");
        }

        if (count > (uint)(data.Length - offset))
        {
            throw new InvalidDataException(
                $"HyperLogLog sketch is truncated: {count} sparse entries declared but only {data.Length - offset} bytes remain.");
        }

        var entries = new uint[count];
        var previous = 0UL;
        for (var i = 0; i < entries.Length; i++)
        {
            var delta = ReadVarint(data, ref offset);
            var entry = previous + delta;
            if (entry > MaxSparseEntry)
            {
                throw new InvalidDataException($"HyperLogLog sparse entry {i} is out of range.");
            }

            var rank = (uint)entry & HyperLogLog.SparseRankMask;
            if (rank is 0 or > HyperLogLog.MaxSparseRank)
            {
                throw new InvalidDataException(
                    $"HyperLogLog sparse entry {i} has rank {rank}; ranks must be 1..{HyperLogLog.MaxSparseRank}.");
            }

            if (i > 0 && (entry >> HyperLogLog.SparseRankBits) <= (previous >> HyperLogLog.SparseRankBits))
            {
                throw new InvalidDataException(
                    $"HyperLogLog sparse entry {i} does not follow its predecessor's index; entries must have strictly increasing indexes.");
            }

            entries[i] = (uint)entry;
            previous = entry;
        }

        if (offset != data.Length)
        {
            throw new InvalidDataException(
                $"HyperLogLog sketch has {data.Length - offset} unexpected trailing bytes after its sparse entries.");
        }

        return entries;
    }

    /// <summary>Reads and validates the packed registers that follow a dense header.</summary>
    internal static byte[] ReadDense(ReadOnlySpan<byte> data, int precision)
    {
        var expected = DenseSize(precision);
        if (data.Length != expected)
        {
            throw new InvalidDataException(data.Length < expected
                ? $"HyperLogLog sketch is truncated: a dense sketch of precision {precision} is {expected} bytes, got {data.Length}."
                : $"HyperLogLog sketch has {data.Length - expected} unexpected trailing bytes after its dense registers.");
        }

        var maxRank = 64 - precision + 1;
        var input = data[HeaderSize..];
        var registers = new byte[1 << precision];
        var o = 0;
        for (var i = 0; i < registers.Length; i += 4)
        {
            var packed = input[o] | (input[o + 1] << 8) | (input[o + 2] << 16);
            o += 3;
            for (var k = 0; k < 4; k++)
            {
                var rank = (packed >> (6 * k)) & 0x3F;
                if (rank > maxRank)
                {
                    throw new InvalidDataException(
                        $"HyperLogLog register {i + k} holds rank {rank}; ranks at precision {precision} are at most {maxRank}.");
                }

                registers[i + k] = (byte)rank;
            }
        }

        return registers;
    }

    private static void WriteHeader(Span<byte> destination, int precision, byte representation)
    {
        destination[0] = Version;
        destination[1] = (byte)precision;
        destination[2] = representation;
    }

    private static int VarintLength(uint value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    private static int WriteVarint(Span<byte> destination, uint value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads a minimally encoded unsigned LEB128 value of at most 32 bits.</summary>
    private static uint ReadVarint(ReadOnlySpan<byte> data, ref int offset)
    {
        var value = 0u;
        for (var i = 0; i < MaxVarintLength; i++)
        {
            if (offset >= data.Length)
            {
                throw new InvalidDataException("HyperLogLog sketch is truncated inside a varint.");
            }

            var b = data[offset++];
            if (i == MaxVarintLength - 1 && b > 0x0F)
            {
                throw new InvalidDataException("HyperLogLog sketch has a varint that overflows 32 bits.");
            }

            value |= (uint)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                // A final zero byte after the first adds nothing; rejecting it keeps each sketch's bytes unique.
                if (b == 0 && i > 0)
                {
                    throw new InvalidDataException("HyperLogLog sketch has a varint that is not minimally encoded.");
                }

                return value;
            }
        }

        // Unreachable: the fifth byte is at most 0x0F, so it always ends the varint.
        throw new InvalidDataException("HyperLogLog sketch has a varint that overflows 32 bits.");
    }
}
