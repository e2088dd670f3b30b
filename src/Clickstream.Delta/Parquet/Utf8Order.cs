namespace Clickstream.Delta.Parquet;

/// <summary>
/// Orders strings as their UTF-8 bytes compare (Unicode code point order), which is how Spark, Parquet and the
/// Delta stats compare strings. Ordinal UTF-16 order differs from it only where a surrogate pair meets a character
/// in U+E000..U+FFFF.
/// </summary>
internal static class Utf8Order
{
    /// <summary>Negative, zero or positive as <paramref name="left"/> sorts before, with or after <paramref name="right"/>.</summary>
    public static int Compare(ReadOnlySpan<char> left, ReadOnlySpan<char> right)
    {
        // Statistics compare mostly short strings that differ early: a plain loop over the first characters beats
        // the vectorised prefix search, which pays off only for long shared prefixes.
        var shorter = Math.Min(left.Length, right.Length);
        var i = 0;
        for (var scalarEnd = Math.Min(shorter, 16); i < scalarEnd; i++)
        {
            if (left[i] != right[i])
            {
                return Weight(left[i]) - Weight(right[i]);
            }
        }

        if (i < shorter)
        {
            i += left[i..].CommonPrefixLength(right[i..]);
            if (i < shorter)
            {
                return Weight(left[i]) - Weight(right[i]);
            }
        }

        return left.Length.CompareTo(right.Length);
    }

    /// <summary>Moves surrogates above U+FFFF's neighbours so that code units sort in code point order.</summary>
    private static int Weight(char c) => c switch
    {
        < '\uD800' => c,
        <= '\uDFFF' => c + 0x2000,
        _ => c - 0x800,
    };
}
