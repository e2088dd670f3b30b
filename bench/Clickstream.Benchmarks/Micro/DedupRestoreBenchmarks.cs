using BenchmarkDotNet.Attributes;
using Clickstream.Engine.State;

namespace Clickstream.Benchmarks.Micro;

/// <summary>
/// Restoring a <see cref="CompactDedupState"/> partition from its checkpoint files, as a restarted query does,
/// from a delta file and from a snapshot file holding the same keys, for a few state sizes, reported per load.
/// Comparing the sizes shows how a restore scales with the number of keys (linear would double the time per
/// doubling). The sizes are kept small on purpose: see docs/performance.md for why larger ones do not finish.
/// </summary>
[MemoryDiagnoser]
public class DedupRestoreBenchmarks
{
    private string _dir = null!;

    [Params(20_000, 40_000, 80_000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var keys = new DedupKeys();
        var state = new CompactDedupState();
        for (var i = 0; i < Keys; i++)
        {
            state.TryAdd(keys.Keys[i], keys.ExpiryOf(i));
        }

        // Version 1 is a delta holding every key; version 2 is a snapshot of the same keys.
        _dir = Path.Combine(Path.GetTempPath(), "clickstream-bench-restore-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        state.Commit(_dir, 1, snapshot: false);
        state.Commit(_dir, 2, snapshot: true);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark(Baseline = true, Description = "Load from a delta file")]
    public long LoadDelta() => Load(1);

    [Benchmark(Description = "Load from a snapshot file")]
    public long LoadSnapshot() => Load(2);

    private long Load(long version)
    {
        var state = new CompactDedupState();
        state.Load(_dir, version);
        return state.Count;
    }
}
