namespace Clickstream.Engine.Execution;

/// <summary>Event-time statistics one watermark node collected in one batch (ms since the epoch).</summary>
internal sealed class WatermarkStats
{
    public long Count { get; private set; }

    public long MinMs { get; private set; } = long.MaxValue;

    public long MaxMs { get; private set; } = long.MinValue;

    public double SumMs { get; private set; }

    public void Add(long eventMicros)
    {
        // Spark converts micros to millis with floor division.
        var ms = Time.Micros.FloorToMillis(eventMicros);

        Count++;
        SumMs += ms;
        if (ms < MinMs)
        {
            MinMs = ms;
        }

        if (ms > MaxMs)
        {
            MaxMs = ms;
        }
    }

    public void Merge(WatermarkStats other)
    {
        if (other.Count == 0)
        {
            return;
        }

        Count += other.Count;
        SumMs += other.SumMs;
        MinMs = Math.Min(MinMs, other.MinMs);
        MaxMs = Math.Max(MaxMs, other.MaxMs);
    }

    public void Reset()
    {
        Count = 0;
        SumMs = 0;
        MinMs = long.MaxValue;
        MaxMs = long.MinValue;
    }
}
