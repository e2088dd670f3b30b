using System.Globalization;
using Clickstream.Engine.State;

namespace Clickstream.Benchmarks.Micro;

/// <summary>
/// Prints what one million keys cost in <see cref="CompactDedupState"/>: right after the inserts (everything the
/// next delta file needs is still held) and after a commit. <c>MemoryBytes</c> is what progress reports show as
/// <c>memoryUsedBytes</c>; the managed-heap growth is measured independently with <see cref="GC.GetTotalMemory(bool)"/>.
/// Restoring is not part of this (see <see cref="DedupRestoreBenchmarks"/>).
/// </summary>
internal static class DedupFootprint
{
    private static bool s_printed;

    /// <summary>Prints once per process (every benchmark case runs the global setup again).</summary>
    public static void Print(DedupKeys keys)
    {
        if (s_printed)
        {
            return;
        }

        s_printed = true;
        var dir = Path.Combine(Path.GetTempPath(), "clickstream-bench-dedup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var state = new CompactDedupState();
            for (var i = 0; i < DedupKeys.Count; i++)
            {
                state.TryAdd(keys.Keys[i], keys.ExpiryOf(i));
            }

            var heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            Line("after 1M TryAdd, before commit", state, heapGrowth);

            state.Commit(dir, 1, snapshot: false);
            heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            Line("after Commit", state, heapGrowth);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Line(string what, CompactDedupState state, long heapGrowth) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// CompactDedupState {what}: {state.Count:N0} keys, MemoryBytes {state.MemoryBytes:N0} = {(double)state.MemoryBytes / state.Count:F1} B/key; managed heap +{heapGrowth:N0} B = {(double)heapGrowth / state.Count:F1} B/key"));
}
