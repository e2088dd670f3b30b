namespace Clickstream.Udfs.Raw;

/// <summary>
/// The type of a raw table column. Each member is named after the Delta (Spark SQL) type it maps to, and says
/// which array of <see cref="RawEventColumns"/> holds it.
/// </summary>
#pragma warning disable CA1720 // the names are the Delta protocol's type names
public enum RawColumnType
{
    /// <summary>Delta <c>string</c>, held in a <c>string?[]</c>.</summary>
    String,

    /// <summary>Delta <c>timestamp</c> (UTC), held in a <c>long[]</c> of microseconds since the Unix epoch.</summary>
    Timestamp,

    /// <summary>Delta <c>double</c>, held in a <c>double[]</c>.</summary>
    Double,

    /// <summary>Delta <c>long</c>, held in a <c>long[]</c>.</summary>
    Long,

    /// <summary>Delta <c>integer</c>, held in an <c>int[]</c>.</summary>
    Integer,
}
#pragma warning restore CA1720
