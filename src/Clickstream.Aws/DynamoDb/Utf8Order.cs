namespace Clickstream.Aws.DynamoDb;

/// <summary>
/// Orders strings by their UTF-8 bytes (= by code point), as SQLite's BINARY collation and DynamoDB's sort keys do.
/// Ordinal UTF-16 order differs for characters above U+E000 against surrogate pairs.
/// </summary>
internal sealed class Utf8Order : IComparer<string>
{
    public static readonly Utf8Order Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a != b)
            {
                return Fix(a).CompareTo(Fix(b));
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    // Surrogates (U+D800..U+DFFF) encode code points above U+FFFF: move them above U+E000..U+FFFF.
    private static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
