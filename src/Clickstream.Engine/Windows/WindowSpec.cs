namespace Clickstream.Engine.Windows;

/// <summary>
/// A tumbling or sliding window definition, epoch-aligned with an optional start offset, exactly as Spark's
/// <c>window(col, windowDuration, slideDuration, startTime)</c>: windows are <c>[start, end)</c> and an event at
/// <c>t</c> belongs to every window with <c>start &lt;= t &lt; end</c>.
/// </summary>
public sealed class WindowSpec
{
    /// <summary>Creates a definition; all values in microseconds.</summary>
    public WindowSpec(long windowMicros, long slideMicros, long startOffsetMicros = 0)
    {
        if (windowMicros <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(windowMicros), "the window duration must be positive");
        }

        if (slideMicros <= 0 || slideMicros > windowMicros)
        {
            throw new ArgumentOutOfRangeException(nameof(slideMicros), "the slide must be positive and not longer than the window");
        }

        if (Math.Abs(startOffsetMicros) >= slideMicros)
        {
            throw new ArgumentOutOfRangeException(nameof(startOffsetMicros), "the start offset must be smaller than the slide");
        }

        WindowMicros = windowMicros;
        SlideMicros = slideMicros;
        StartOffsetMicros = startOffsetMicros;
        MaxWindowsPerEvent = (int)((windowMicros + slideMicros - 1) / slideMicros);
    }

    public long WindowMicros { get; }

    public long SlideMicros { get; }

    public long StartOffsetMicros { get; }

    /// <summary>ceil(window / slide): how many candidate windows an event has.</summary>
    public int MaxWindowsPerEvent { get; }

    /// <summary>A tumbling window of the given length.</summary>
    public static WindowSpec Tumbling(TimeSpan size) => new(size.Ticks / 10, size.Ticks / 10);

    /// <summary>Writes the windows containing <paramref name="eventMicros"/> into <paramref name="destination"/>, oldest last.</summary>
    /// <returns>The number of windows written.</returns>
    public int Assign(long eventMicros, Span<TimeWindow> destination)
    {
        // Spark >= 3.4: remainder made non-negative, so times before the epoch get the right windows (SPARK-39347).
        var remainder = (eventMicros - StartOffsetMicros) % SlideMicros;
        if (remainder < 0)
        {
            remainder += SlideMicros;
        }

        var lastStart = eventMicros - remainder;
        var divides = WindowMicros % SlideMicros == 0;
        var count = 0;
        for (var i = 0; i < MaxWindowsPerEvent; i++)
        {
            var start = lastStart - (i * SlideMicros);
            var end = start + WindowMicros;
            if (divides || (start <= eventMicros && eventMicros < end))
            {
                destination[count++] = new TimeWindow(start, end);
            }
        }

        return count;
    }

    /// <summary>The single window of a tumbling definition.</summary>
    public TimeWindow AssignTumbling(long eventMicros)
    {
        var remainder = (eventMicros - StartOffsetMicros) % SlideMicros;
        if (remainder < 0)
        {
            remainder += SlideMicros;
        }

        var start = eventMicros - remainder;
        return new TimeWindow(start, start + WindowMicros);
    }
}
