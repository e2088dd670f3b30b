using System.IO.Hashing;
using System.Text;
using Clickstream.Engine.State;

namespace Clickstream.Engine.Tests.SparkVectors;

/// <summary>Keys made of row values (long, double, string or null), as the vectors' group-by columns are.</summary>
internal sealed class RowKeyCodec : IKeyCodec<object?[]>
{
    public static RowKeyCodec Instance { get; } = new();

    public bool Equals(object?[]? x, object?[]? y)
    {
        if (x is null || y is null || x.Length != y.Length)
        {
            return ReferenceEquals(x, y);
        }

        for (var i = 0; i < x.Length; i++)
        {
            if (!Equals(x[i], y[i]))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(object?[] obj)
    {
        var h = new HashCode();
        foreach (var v in obj)
        {
            h.Add(v);
        }

        return h.ToHashCode();
    }

    public uint StableHash(object?[] key)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            Write(w, key);
        }

        return (uint)XxHash3.HashToUInt64(ms.ToArray());
    }

    public void Write(BinaryWriter writer, object?[] value)
    {
        writer.Write(value.Length);
        foreach (var v in value)
        {
            switch (v)
            {
                case null:
                    writer.Write((byte)0);
                    break;
                case long l:
                    writer.Write((byte)1);
                    writer.Write(l);
                    break;
                case double d:
                    writer.Write((byte)2);
                    writer.Write(d);
                    break;
                case string s:
                    writer.Write((byte)3);
                    writer.Write(s);
                    break;
                default:
                    throw new NotSupportedException($"key value of type {v.GetType()}");
            }
        }
    }

    public object?[] Read(BinaryReader reader)
    {
        var values = new object?[reader.ReadInt32()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadByte() switch
            {
                0 => null,
                1 => reader.ReadInt64(),
                2 => reader.ReadDouble(),
                3 => reader.ReadString(),
                var t => throw new InvalidDataException($"unknown key value tag {t}"),
            };
        }

        return values;
    }
}
