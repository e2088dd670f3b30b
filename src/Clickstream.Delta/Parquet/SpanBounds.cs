using System.Numerics;

namespace Clickstream.Delta.Parquet;

/// <summary>Min and max of a span of values in one pass.</summary>
internal static class SpanBounds
{
    /// <summary>The least and greatest value; false for an empty span.</summary>
    public static bool TryGet<T>(ReadOnlySpan<T> values, out T min, out T max)
        where T : struct, IComparisonOperators<T, T, bool>
    {
        if (values.IsEmpty)
        {
            (min, max) = (default, default);
            return false;
        }

        min = max = values[0];
        for (var i = 1; i < values.Length; i++)
        {
            var value = values[i];
            if (value < min)
            {
                min = value;
            }

            if (value > max)
            {
                max = value;
            }
        }

        return true;
    }

    /// <summary>Adds the bounds of floating-point values, noting NaN (which has no place in an order).</summary>
    public static void AddReals<T>(ReadOnlySpan<T> values, ColumnStatistics stats)
        where T : struct, IFloatingPointIeee754<T>
    {
        var sawNaN = false;
        var sawNumber = false;
        var min = T.PositiveInfinity;
        var max = T.NegativeInfinity;
        foreach (var value in values)
        {
            if (T.IsNaN(value))
            {
                sawNaN = true;
                continue;
            }

            sawNumber = true;
            min = T.Min(min, value);
            max = T.Max(max, value);
        }

        stats.AddReals(double.CreateTruncating(min), double.CreateTruncating(max), sawNaN, sawNumber);
    }
}
