namespace Clickstream.Collector;

/// <summary>One app's write key. <see cref="ToString"/> never shows the key.</summary>
public sealed record WriteKey(string App, string Key)
{
    /// <summary>
    /// Parses <c>app=key</c> pairs separated by commas (a bare <c>key</c> belongs to the app <c>default</c>),
    /// as given to <c>--write-key</c> or the <c>CLICKSTREAM_WRITE_KEYS</c> environment variable.
    /// </summary>
    public static IReadOnlyList<WriteKey> ParseList(string text)
    {
        var keys = new List<WriteKey>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var app = eq >= 0 ? part[..eq].Trim() : "default";
            var key = eq >= 0 ? part[(eq + 1)..].Trim() : part;
            if (key.Length == 0 || app.Length == 0)
            {
                throw new ArgumentException("a write key must be 'appName=key' with a non-empty name and key");
            }

            keys.Add(new WriteKey(app, key));
        }

        return keys;
    }

    /// <inheritdoc />
    public override string ToString() => $"WriteKey({App}, ***)";
}
