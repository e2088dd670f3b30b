using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Clickstream.Engine.State;

/// <summary>Key and value codecs for the common types.</summary>
public static class KeyCodecs
{
    /// <summary>UTF-8 strings (null allowed).</summary>
    public static IKeyCodec<string?> String { get; } = new StringCodec();

    /// <summary>64-bit integers.</summary>
    public static IKeyCodec<long> Int64 { get; } = new Int64Codec();

    /// <summary>128-bit hashes (already well mixed, so the low bits are the partition hash).</summary>
    public static IKeyCodec<UInt128> UInt128 { get; } = new UInt128Codec();

    /// <summary>The unit key of a global (ungrouped) aggregation.</summary>
    public static IKeyCodec<bool> Unit { get; } = new UnitCodec();

    /// <summary>A stable 32-bit hash of a string's UTF-8 bytes.</summary>
    public static uint HashString(string? s)
    {
        if (s is null)
        {
            return 0x9E3779B9u;
        }

        Span<byte> buffer = stackalloc byte[256];
        var max = Encoding.UTF8.GetMaxByteCount(s.Length);
        var bytes = max <= buffer.Length ? buffer : new byte[max];
        var n = Encoding.UTF8.GetBytes(s, bytes);
        return (uint)XxHash3.HashToUInt64(bytes[..n]);
    }

    /// <summary>Mixes a 64-bit value into a well-distributed 32-bit hash (splitmix64 finaliser).</summary>
    public static uint Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (uint)x;
    }

    private sealed class StringCodec : IKeyCodec<string?>
    {
        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string? obj) => obj is null ? 0 : obj.GetHashCode(StringComparison.Ordinal);

        public uint StableHash(string? key) => HashString(key);

        public void Write(BinaryWriter writer, string? value)
        {
            writer.Write(value is not null);
            if (value is not null)
            {
                writer.Write(value);
            }
        }

        public string? Read(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
    }

    private sealed class Int64Codec : IKeyCodec<long>
    {
        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long obj) => obj.GetHashCode();

        public uint StableHash(long key) => Mix((ulong)key);

        public void Write(BinaryWriter writer, long value) => writer.Write(value);

        public long Read(BinaryReader reader) => reader.ReadInt64();
    }

    private sealed class UInt128Codec : IKeyCodec<UInt128>
    {
        public bool Equals(UInt128 x, UInt128 y) => x == y;

        public int GetHashCode(UInt128 obj) => (int)(ulong)obj;

        public uint StableHash(UInt128 key) => (uint)(ulong)key;

        public void Write(BinaryWriter writer, UInt128 value)
        {
            Span<byte> b = stackalloc byte[16];
            MemoryMarshal.Write(b, in value);
            writer.Write(b);
        }

        public UInt128 Read(BinaryReader reader)
        {
            Span<byte> b = stackalloc byte[16];
            reader.BaseStream.ReadExactly(b);
            return MemoryMarshal.Read<UInt128>(b);
        }
    }

    private sealed class UnitCodec : IKeyCodec<bool>
    {
        public bool Equals(bool x, bool y) => x == y;

        public int GetHashCode(bool obj) => obj ? 1 : 0;

        public uint StableHash(bool key) => 0;

        public void Write(BinaryWriter writer, bool value) => writer.Write(value);

        public bool Read(BinaryReader reader) => reader.ReadBoolean();
    }
}
