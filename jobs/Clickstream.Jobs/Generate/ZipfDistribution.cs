namespace Clickstream.Jobs.Generate;

/// <summary>
/// Ranks 0..n-1 drawn with probability proportional to 1/(rank+1)^s, by binary search over a precomputed
/// cumulative table (n doubles, built once), so a draw costs one random number and log2(n) comparisons.
/// </summary>
internal sealed class ZipfDistribution
{
    private readonly double[] _cumulative;

    public ZipfDistribution(int count, double exponent)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        _cumulative = new double[count];
        var sum = 0.0;
        for (var k = 0; k < count; k++)
        {
            sum += 1.0 / Math.Pow(k + 1, exponent);
            _cumulative[k] = sum;
        }

        for (var k = 0; k < count; k++)
        {
            _cumulative[k] /= sum;
        }

        // Rounding must not leave a sliver above the last entry that no rank covers.
        _cumulative[^1] = 1.0;
    }

    public int Count => _cumulative.Length;

    /// <summary>The probability of <paramref name="rank"/>, for tests and documentation.</summary>
    public double Probability(int rank) => _cumulative[rank] - (rank == 0 ? 0 : _cumulative[rank - 1]);

    public int Sample(Xoshiro256StarStar random)
    {
        var index = Array.BinarySearch(_cumulative, random.NextDouble());

        // A miss returns the complement of the first entry above the value: that entry's rank is the draw.
        return index >= 0 ? index + 1 : ~index;
    }
}
