using Clickstream.Engine.State;
using Clickstream.Engine.Windows;

namespace Clickstream.Engine.Plan;

/// <summary>The group key of a windowed aggregation: the window and the user's grouping value.</summary>
/// <typeparam name="TGroup">The grouping value.</typeparam>
public readonly record struct WindowKey<TGroup>(TimeWindow Window, TGroup Group);

/// <summary>Codec of <see cref="WindowKey{TGroup}"/> built on the group's codec.</summary>
internal sealed class WindowKeyCodec<TGroup>(IKeyCodec<TGroup> group) : IKeyCodec<WindowKey<TGroup>>
{
    public bool Equals(WindowKey<TGroup> x, WindowKey<TGroup> y) => x.Window == y.Window && group.Equals(x.Group, y.Group);

    public int GetHashCode(WindowKey<TGroup> obj) => HashCode.Combine(obj.Window, obj.Group is null ? 0 : group.GetHashCode(obj.Group));

    public uint StableHash(WindowKey<TGroup> key) => KeyCodecs.Mix((ulong)key.Window.StartMicros ^ ((ulong)group.StableHash(key.Group) << 17));

    public void Write(BinaryWriter writer, WindowKey<TGroup> value)
    {
        writer.Write(value.Window.StartMicros);
        writer.Write(value.Window.EndMicros);
        group.Write(writer, value.Group);
    }

    public WindowKey<TGroup> Read(BinaryReader reader)
    {
        var start = reader.ReadInt64();
        var end = reader.ReadInt64();
        return new WindowKey<TGroup>(new TimeWindow(start, end), group.Read(reader));
    }
}
