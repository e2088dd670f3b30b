using Clickstream.Engine.State;

namespace Clickstream.Jobs.Streaming;

/// <summary>A session's funnel progress: how many steps it reached and its latest event time (ms).</summary>
internal readonly record struct FunnelState(byte Steps, long LastEventMs)
{
    public static IStateCodec<FunnelState> Codec { get; } = new StateCodec();

    private sealed class StateCodec : IStateCodec<FunnelState>
    {
        public void Write(BinaryWriter writer, FunnelState value)
        {
            writer.Write(value.Steps);
            writer.Write(value.LastEventMs);
        }

        public FunnelState Read(BinaryReader reader) => new(reader.ReadByte(), reader.ReadInt64());
    }
}
