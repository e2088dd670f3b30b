namespace Clickstream.Delta.Parquet;

/// <summary>
/// Hands out one string instance per distinct value of a column chunk, so that repeated values (event types,
/// countries, user ids within a batch) are not allocated once per row. A chunk whose values hardly repeat (ids)
/// stops using the cache after a probation period and pays nothing more than the allocation it would anyway.
/// Owned by one chunk read; not thread-safe.
/// </summary>
internal sealed class StringCache
{
    private const int MaxEntries = 1 << 14;
    private const int Probation = 1 << 10;

    private Dictionary<string, string>? _strings = new(StringComparer.Ordinal);
    private int _lookups;
    private int _hits;

    /// <summary>The string of <paramref name="chars"/>, shared with earlier equal values where possible.</summary>
    public string Get(ReadOnlySpan<char> chars)
    {
        if (_strings is null)
        {
            return new string(chars);
        }

        var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        _lookups++;
        if (lookup.TryGetValue(chars, out var existing))
        {
            _hits++;
            return existing;
        }

        var value = new string(chars);
        if (_strings.Count < MaxEntries)
        {
            _strings.Add(value, value);
        }

        if (_lookups == Probation && _hits * 4 < _lookups)
        {
            _strings = null; // fewer than a quarter of the values repeat
        }

        return value;
    }
}
