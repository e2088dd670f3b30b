using System.Buffers;

namespace Clickstream.Collector.Ingest;

/// <summary>A growable byte buffer rented from the shared pool; one per request, returned on dispose.</summary>
internal sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;
    private int _count;

    public PooledBuffer(int initialSize) => _array = ArrayPool<byte>.Shared.Rent(initialSize);

    public int Count => _count;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _count);

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _count);

    public void Advance(int count) => _count += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_count);
    }

    /// <summary>
    /// Reads <paramref name="source"/> to its end, or until more than <paramref name="limit"/> bytes have arrived.
    /// Returns false when the limit was exceeded.
    /// </summary>
    public async ValueTask<bool> ReadFromAsync(Stream source, int limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await source.ReadAsync(GetMemory(4096), cancellationToken);
            if (read == 0)
            {
                return true;
            }

            _count += read;
            if (_count > limit)
            {
                return false;
            }
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_array.Length - _count >= sizeHint)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _count + sizeHint));
        _array.AsSpan(0, _count).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }
}
