using System.Runtime.InteropServices;

namespace Clickstream.Benchmarks.Micro;

/// <summary>
/// One million deduplication keys as the job produces them (128-bit hashes of event ids) with the expiry the
/// job gives each one: event time + 10 minutes of watermark delay, event times spread over an hour in arrival order.
/// </summary>
internal sealed class DedupKeys
{
    public const int Count = 1_000_000;
    public const int Slices = 10;
    public const long DelayMicros = 10 * 60 * 1_000_000L;

    private const long StartMicros = 1_793_534_400_000_000; // 2026-11-01T12:00:00Z
    private const long SpanMicros = 60 * 60 * 1_000_000L;

    public DedupKeys(int seed = 42)
    {
        // Full 128-bit random values, like XxHash128 output (NextInt64 would leave the top bit of each half zero,
        // and the state indexes its table by the high bits of the low half).
        var random = new Random(seed);
        Keys = new UInt128[Count];
        EventMicros = new long[Count];
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < Count; i++)
        {
            random.NextBytes(bytes);
            Keys[i] = MemoryMarshal.Read<UInt128>(bytes);
            EventMicros[i] = StartMicros + (SpanMicros * i / Count);
        }
    }

    public UInt128[] Keys { get; }

    public long[] EventMicros { get; }

    public long ExpiryOf(int i) => EventMicros[i] + DelayMicros;

    /// <summary>The watermark (µs) after the first <paramref name="i"/> keys have arrived: newest event time − delay.</summary>
    public long WatermarkAfter(int i) => EventMicros[Math.Max(0, i - 1)] - DelayMicros;
}
