namespace Clickstream.Jobs.Streaming;

/// <summary>
/// Copies input lines into large shared chunks so that each kept line costs no allocation of its own. A chunk is
/// released by the garbage collector once no event of its batch refers to it. Not thread-safe (one per split decoder).
/// </summary>
internal sealed class LineArena
{
    private const int ChunkSize = 1 << 20;
    private byte[] _chunk = [];
    private int _used;

    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> line)
    {
        if (line.Length > _chunk.Length - _used)
        {
            _chunk = GC.AllocateUninitializedArray<byte>(Math.Max(ChunkSize, line.Length));
            _used = 0;
        }

        line.CopyTo(_chunk.AsSpan(_used));
        var memory = new ReadOnlyMemory<byte>(_chunk, _used, line.Length);
        _used += line.Length;
        return memory;
    }
}
