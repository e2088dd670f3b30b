namespace Clickstream.Engine.Execution;

/// <summary>How per-node watermarks combine into the global one (<c>spark.sql.streaming.multipleWatermarkPolicy</c>).</summary>
public enum WatermarkPolicy
{
    /// <summary>The slowest input decides (default; never drops data of a slow input).</summary>
    Min,

    /// <summary>The fastest input decides.</summary>
    Max,
}
