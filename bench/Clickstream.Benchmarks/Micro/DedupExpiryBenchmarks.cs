using BenchmarkDotNet.Attributes;
using Clickstream.Engine.State;

namespace Clickstream.Benchmarks.Micro;

/// <summary>
/// <see cref="CompactDedupState.RemoveExpired"/> alone: a full scan of a one-million-key table that removes the
/// older half, reported per key in the table. It mutates the state, so each measurement gets a freshly filled
/// table (one invocation per iteration; the fill is not measured).
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[IterationCount(15)]
public class DedupExpiryBenchmarks
{
    private DedupKeys _keys = null!;
    private CompactDedupState _state = null!;

    [GlobalSetup]
    public void Setup() => _keys = new DedupKeys();

    [IterationSetup]
    public void Fill()
    {
        _state = new CompactDedupState();
        for (var i = 0; i < DedupKeys.Count; i++)
        {
            _state.TryAdd(_keys.Keys[i], _keys.ExpiryOf(i));
        }
    }

    [Benchmark(OperationsPerInvoke = DedupKeys.Count, Description = "RemoveExpired: scan 1M keys, drop half")]
    public long RemoveExpired() => _state.RemoveExpired(_keys.ExpiryOf((DedupKeys.Count / 2) - 1));
}
