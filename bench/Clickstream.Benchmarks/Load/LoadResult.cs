using System.Diagnostics;

namespace Clickstream.Benchmarks.Load;

/// <summary>All workers' measurements together.</summary>
internal sealed record LoadResult(long Accepted, long Failures, long Requests, long[] SortedTicks, TimeSpan Elapsed, TimeSpan Cpu)
{
    public static LoadResult Combine(WorkerStats[] workers, TimeSpan elapsed, TimeSpan cpu)
    {
        var ticks = workers.SelectMany(w => w.LatencyTicks).ToArray();
        Array.Sort(ticks);
        return new LoadResult(workers.Sum(w => w.Accepted), workers.Sum(w => w.Failures), ticks.Length, ticks, elapsed, cpu);
    }

    /// <summary>The latency at quantile <paramref name="q"/> in milliseconds (nearest rank).</summary>
    public double Percentile(double q)
    {
        if (SortedTicks.Length == 0)
        {
            return double.NaN;
        }

        var index = Math.Clamp((int)Math.Ceiling(q * SortedTicks.Length) - 1, 0, SortedTicks.Length - 1);
        return SortedTicks[index] * 1000.0 / Stopwatch.Frequency;
    }
}
