namespace Clickstream.Engine.Time;

/// <summary>Conversions of event times held as microseconds since the epoch.</summary>
public static class Micros
{
    /// <summary>Milliseconds, rounded towards negative infinity (as Spark converts event times for watermarks).</summary>
    public static long FloorToMillis(long micros) => Math.DivRem(micros, 1000, out var rem) - (rem < 0 ? 1 : 0);
}
