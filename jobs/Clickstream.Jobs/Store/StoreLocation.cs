using System.Globalization;
using Clickstream.Engine.Time;
using Clickstream.Jobs.Cli;

namespace Clickstream.Jobs.Store;

/// <summary>
/// Where an aggregate store lives: a SQLite file path, or <c>dynamodb://TABLE</c> with optional settings in the query
/// string: <c>?ttl=24h</c> (how long minute rows are kept after their window, default 24 h) and <c>&amp;writers=16</c>
/// (parallel write calls).
/// </summary>
internal sealed record StoreLocation
{
    public const string DynamoDbScheme = "dynamodb://";

    private StoreLocation(string text)
    {
        Text = text;
    }

    /// <summary>The location: an absolute path, or <c>dynamodb://TABLE</c> as given.</summary>
    public string Text { get; }

    /// <summary>The SQLite file, or null.</summary>
    public string? Path { get; private init; }

    /// <summary>The DynamoDB table, or null.</summary>
    public string? Table { get; private init; }

    /// <summary>The TTL of minute rows after their window (DynamoDB), or null for the default.</summary>
    public TimeSpan? Retention { get; private init; }

    /// <summary>Parallel write calls (DynamoDB), or null for the default.</summary>
    public int? Writers { get; private init; }

    public bool IsDynamoDb => Table is not null;

    /// <summary>Parses <paramref name="text"/>; a malformed location is a <see cref="UsageException"/> naming <paramref name="option"/>.</summary>
    public static StoreLocation Parse(string text, string option = "--store")
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        if (!text.StartsWith(DynamoDbScheme, StringComparison.Ordinal))
        {
            if (text.Contains("://", StringComparison.Ordinal))
            {
                throw new UsageException($"{option} {text}: unsupported location (use a SQLite file path or dynamodb://TABLE)");
            }

            var path = System.IO.Path.GetFullPath(text);
            return new StoreLocation(path) { Path = path };
        }

        var rest = text[DynamoDbScheme.Length..];
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        var table = query < 0 ? rest : rest[..query];
        if (!ValidTableName(table))
        {
            throw new UsageException($"{option} {text}: a DynamoDB table name has 3 to 255 letters, digits, '_', '-' or '.' (dynamodb://TABLE)");
        }

        TimeSpan? retention = null;
        int? writers = null;
        if (query >= 0)
        {
            foreach (var pair in rest[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = eq < 0 ? (pair, string.Empty) : (pair[..eq], pair[(eq + 1)..]);
                switch (name)
                {
                    case "ttl":
                        retention = ParseRetention(value, text, option);
                        break;
                    case "writers" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 256:
                        writers = n;
                        break;
                    case "writers":
                        throw new UsageException($"{option} {text}: writers must be a whole number from 1 to 256");
                    default:
                        throw new UsageException($"{option} {text}: unknown setting '{name}' (ttl=DURATION, writers=N)");
                }
            }
        }

        return new StoreLocation(DynamoDbScheme + table + (query < 0 ? string.Empty : rest[query..])) { Table = table, Retention = retention, Writers = writers };
    }

    public override string ToString() => Text;

    private static TimeSpan ParseRetention(string value, string text, string option)
    {
        try
        {
            var ms = IntervalParser.ParseMilliseconds(value);
            if (ms >= 60_000)
            {
                return TimeSpan.FromMilliseconds(ms);
            }
        }
        catch (FormatException)
        {
        }

        throw new UsageException($"{option} {text}: ttl must be a duration of at least a minute, such as 24h or 7d");
    }

    private static bool ValidTableName(string name)
    {
        if (name.Length is < 3 or > 255)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
