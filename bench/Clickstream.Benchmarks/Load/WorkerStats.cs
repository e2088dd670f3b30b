namespace Clickstream.Benchmarks.Load;

/// <summary>One worker's measured requests; owned by that worker until it returns them.</summary>
internal sealed class WorkerStats
{
    public List<long> LatencyTicks { get; } = new(1 << 16);

    public long Accepted { get; private set; }

    public long Failures { get; private set; }

    public void Record(bool accepted, long ticks, int events)
    {
        LatencyTicks.Add(ticks);
        if (accepted)
        {
            Accepted += events;
        }
        else
        {
            Failures++;
        }
    }
}
