using BenchmarkDotNet.Attributes;
using Clickstream.Engine.State;

namespace Clickstream.Benchmarks.Micro;

/// <summary>
/// <see cref="CompactDedupState"/>, the job's deduplication state, with one million keys, reported per key.
/// The state's footprint (bytes per key) is printed by the global setup; see <see cref="DedupFootprint"/>.
/// </summary>
[MemoryDiagnoser]
public class DedupBenchmarks
{
    private DedupKeys _keys = null!;
    private CompactDedupState _full = null!;

    [GlobalSetup]
    public void Setup()
    {
        _keys = new DedupKeys();
        _full = new CompactDedupState();
        AddRange(_full, 0, DedupKeys.Count);
        DedupFootprint.Print(_keys);
    }

    /// <summary>First sightings: every key is new, the table grows from empty (its resizes included).</summary>
    [Benchmark(OperationsPerInvoke = DedupKeys.Count, Description = "TryAdd: 1M new keys into an empty state")]
    public long TryAddNew()
    {
        var state = new CompactDedupState();
        AddRange(state, 0, DedupKeys.Count);
        return state.Count;
    }

    /// <summary>Retries: every key is already there, so each call is a lookup that returns false.</summary>
    [Benchmark(OperationsPerInvoke = DedupKeys.Count, Description = "TryAdd: 1M keys already present")]
    public long TryAddExisting() => AddRange(_full, 0, DedupKeys.Count);

    /// <summary>
    /// The streaming pattern: keys arrive in ten batches of 100k over an hour of event time, and after each batch
    /// the watermark advances and <see cref="CompactDedupState.RemoveExpired"/> drops keys older than 20 minutes.
    /// </summary>
    [Benchmark(OperationsPerInvoke = DedupKeys.Count, Description = "TryAdd + RemoveExpired: 10 batches of 100k")]
    public long Streaming()
    {
        var state = new CompactDedupState();
        const int slice = DedupKeys.Count / DedupKeys.Slices;
        for (var from = 0; from < DedupKeys.Count; from += slice)
        {
            AddRange(state, from, from + slice);
            state.RemoveExpired(_keys.WatermarkAfter(from + slice));
        }

        return state.Count;
    }

    private long AddRange(CompactDedupState state, int from, int to)
    {
        var keys = _keys.Keys;
        long added = 0;
        for (var i = from; i < to; i++)
        {
            if (state.TryAdd(keys[i], _keys.ExpiryOf(i)))
            {
                added++;
            }
        }

        return added;
    }
}
