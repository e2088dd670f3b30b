using Clickstream.Engine.State;

namespace Clickstream.Jobs.Streaming;

/// <summary>The grouping value of the counted metrics: metric name and dimension key.</summary>
internal readonly record struct MetricKey(string Metric, string? Key)
{
    public static IKeyCodec<MetricKey> Codec { get; } = new KeyCodec();

    private sealed class KeyCodec : IKeyCodec<MetricKey>
    {
        public bool Equals(MetricKey x, MetricKey y) =>
            string.Equals(x.Metric, y.Metric, StringComparison.Ordinal) && string.Equals(x.Key, y.Key, StringComparison.Ordinal);

        public int GetHashCode(MetricKey obj) =>
            HashCode.Combine(obj.Metric.GetHashCode(StringComparison.Ordinal), obj.Key is null ? 0 : obj.Key.GetHashCode(StringComparison.Ordinal));

        public uint StableHash(MetricKey key) => KeyCodecs.HashString(key.Metric) ^ (KeyCodecs.HashString(key.Key) * 31);

        public void Write(BinaryWriter writer, MetricKey value)
        {
            writer.Write(value.Metric);
            KeyCodecs.String.Write(writer, value.Key);
        }

        public MetricKey Read(BinaryReader reader) => new(string.Intern(reader.ReadString()), KeyCodecs.String.Read(reader));
    }
}
