namespace Clickstream.Engine.Windows;

/// <summary>An event-time window <c>[Start, End)</c> in microseconds since the epoch.</summary>
public readonly record struct TimeWindow(long StartMicros, long EndMicros)
{
    /// <summary>Spark's <c>window_time</c>: the last microsecond inside the window.</summary>
    public long WindowTimeMicros => EndMicros - 1;
}
