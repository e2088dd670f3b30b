namespace Clickstream.Jobs.Generate;

/// <summary>
/// The last valid lines written, with their arrival times, so that a client retry can re-send one of them
/// byte for byte. A fixed ring of reused buffers: nothing is allocated per line once the buffers have grown.
/// </summary>
internal sealed class RecentLines
{
    private readonly byte[][] _lines;
    private readonly int[] _lengths;
    private readonly long[] _arrivals;
    private int _newest = -1;
    private int _count;

    public RecentLines(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _lines = new byte[capacity][];
        _lengths = new int[capacity];
        _arrivals = new long[capacity];
    }

    /// <summary>Lines held that arrived no earlier than the last <see cref="Expire"/> cut-off.</summary>
    public int Count => _count;

    public void Add(ReadOnlySpan<byte> line, long arrivalMicros)
    {
        _newest = (_newest + 1) % _lines.Length;
        if (_lines[_newest] is not { } buffer || buffer.Length < line.Length)
        {
            _lines[_newest] = buffer = new byte[Math.Max(line.Length, 1024)];
        }

        line.CopyTo(buffer);
        _lengths[_newest] = line.Length;
        _arrivals[_newest] = arrivalMicros;
        _count = Math.Min(_count + 1, _lines.Length);
    }

    /// <summary>Forgets lines that arrived before <paramref name="cutoffMicros"/>; arrivals are in order, so the oldest go first.</summary>
    public void Expire(long cutoffMicros)
    {
        while (_count > 0 && _arrivals[Index(_count - 1)] < cutoffMicros)
        {
            _count--;
        }
    }

    /// <summary>The line <paramref name="age"/> places back: 0 is the newest.</summary>
    public ReadOnlySpan<byte> Get(int age)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)age, (uint)_count, nameof(age));
        var index = Index(age);
        return _lines[index].AsSpan(0, _lengths[index]);
    }

    private int Index(int age) => (_newest - age + _lines.Length) % _lines.Length;
}
