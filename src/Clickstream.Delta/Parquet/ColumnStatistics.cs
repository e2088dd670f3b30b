namespace Clickstream.Delta.Parquet;

/// <summary>
/// The null count and bounds of one column across a whole data file, gathered while the file is written. Only the
/// fields matching the column's <see cref="StatsKind"/> are used.
/// </summary>
internal sealed class ColumnStatistics(StatsKind kind)
{
    /// <summary>How the bounds are rendered.</summary>
    public StatsKind Kind { get; } = kind;

    /// <summary>Rows whose value is null.</summary>
    public long NullCount { get; set; }

    /// <summary>Whether any non-null value was seen (an all-null column has no bounds).</summary>
    public bool HasBounds { get; private set; }

    /// <summary>Whether a float/double column holds NaN (its bounds are then left out).</summary>
    public bool HasNaN { get; private set; }

    /// <summary>Least integral value (also days for dates, microseconds for timestamps).</summary>
    public long MinInteger { get; private set; }

    /// <summary>Greatest integral value.</summary>
    public long MaxInteger { get; private set; }

    /// <summary>Least float/double value, ignoring NaN.</summary>
    public double MinReal { get; private set; }

    /// <summary>Greatest float/double value, ignoring NaN.</summary>
    public double MaxReal { get; private set; }

    /// <summary>Least string in UTF-8 byte order.</summary>
    public string? MinString { get; private set; }

    /// <summary>Greatest string in UTF-8 byte order.</summary>
    public string? MaxString { get; private set; }

    /// <summary>Widens the integral bounds to include [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public void AddIntegers(long min, long max)
    {
        if (!HasBounds)
        {
            (MinInteger, MaxInteger, HasBounds) = (min, max, true);
            return;
        }

        MinInteger = Math.Min(MinInteger, min);
        MaxInteger = Math.Max(MaxInteger, max);
    }

    /// <summary>
    /// Widens the real bounds to include [<paramref name="min"/>, <paramref name="max"/>] when
    /// <paramref name="sawNumber"/>; <paramref name="sawNaN"/> records that some value was NaN.
    /// </summary>
    public void AddReals(double min, double max, bool sawNaN, bool sawNumber)
    {
        HasNaN |= sawNaN;
        if (!sawNumber)
        {
            return;
        }

        if (!HasBounds)
        {
            (MinReal, MaxReal, HasBounds) = (min, max, true);
            return;
        }

        MinReal = Math.Min(MinReal, min);
        MaxReal = Math.Max(MaxReal, max);
    }

    /// <summary>Widens the string bounds.</summary>
    public void AddStrings(string min, string max)
    {
        if (!HasBounds)
        {
            (MinString, MaxString, HasBounds) = (min, max, true);
            return;
        }

        if (Utf8Order.Compare(min, MinString) < 0)
        {
            MinString = min;
        }

        if (Utf8Order.Compare(max, MaxString) > 0)
        {
            MaxString = max;
        }
    }
}
