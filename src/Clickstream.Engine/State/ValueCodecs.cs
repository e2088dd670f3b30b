namespace Clickstream.Engine.State;

/// <summary>Value codecs for state stores.</summary>
public static class ValueCodecs
{
    /// <summary>A 64-bit integer (counts, sums, timestamps).</summary>
    public static IStateCodec<long> Int64 { get; } = new Int64Codec();

    /// <summary>A placeholder for stores that only need keys.</summary>
    public static IStateCodec<byte> None { get; } = new NoneCodec();

    private sealed class Int64Codec : IStateCodec<long>
    {
        public void Write(BinaryWriter writer, long value) => writer.Write(value);

        public long Read(BinaryReader reader) => reader.ReadInt64();
    }

    private sealed class NoneCodec : IStateCodec<byte>
    {
        public void Write(BinaryWriter writer, byte value)
        {
        }

        public byte Read(BinaryReader reader) => 0;
    }
}
