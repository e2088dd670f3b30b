namespace Clickstream.Delta.Parquet;

/// <summary>How a column's bounds appear in the Delta stats JSON.</summary>
internal enum StatsKind
{
    /// <summary>No min/max (boolean, binary, nested): only the null count.</summary>
    None,

    /// <summary>Integral numbers, as JSON numbers.</summary>
    Integer,

    /// <summary>Double precision numbers, as JSON numbers.</summary>
    Double,

    /// <summary>Single precision numbers, as JSON numbers.</summary>
    Float,

    /// <summary>Days since the epoch, as <c>"yyyy-MM-dd"</c>.</summary>
    Date,

    /// <summary>Microseconds since the epoch, as ISO-8601 UTC with milliseconds.</summary>
    Timestamp,

    /// <summary>Strings, with Spark's prefix rules.</summary>
    String,
}
