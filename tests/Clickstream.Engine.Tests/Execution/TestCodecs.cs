using Clickstream.Engine.State;

namespace Clickstream.Engine.Tests.Execution;

/// <summary>Codecs the tests need beyond <see cref="KeyCodecs"/>.</summary>
internal static class TestCodecs
{
    /// <summary>Non-null string keys, stored as <see cref="KeyCodecs.String"/> stores them.</summary>
    public static IKeyCodec<string> String { get; } = new NonNullStringCodec();

    private sealed class NonNullStringCodec : IKeyCodec<string>
    {
        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string obj) => obj.GetHashCode(StringComparison.Ordinal);

        public uint StableHash(string key) => KeyCodecs.HashString(key);

        public void Write(BinaryWriter writer, string value) => KeyCodecs.String.Write(writer, value);

        public string Read(BinaryReader reader) => KeyCodecs.String.Read(reader) ?? throw new InvalidDataException("a null key in a non-null key column");
    }
}
