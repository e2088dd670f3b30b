using System.Globalization;
using System.Text;

namespace Clickstream.Udfs.Tests.Raw;

/// <summary>
/// Deterministic random event lines that exercise the raw column rules: every column field with values of every
/// JSON type, unknown and repeated fields, names that collide with <c>properties</c> members, escapes, non-ASCII
/// text, nested values and whitespace between tokens. Every line is a valid event.
/// </summary>
internal sealed class RandomEvents(int seed)
{
    private static readonly string[] OptionalFields =
        ["page", "category", "device", "product_id", "price", "quantity", "order_id", "referrer", "user_agent", "schema_version", "client_ip", "received_at"];

    private static readonly string[] FreeNames = ["x", "title", "_top.x", "_top.title", "experiment_id", "ip", "café", "a\"b", "list", "utm"];

    private static readonly string[] Texts =
        ["", "plain", "with space", "quote \\\" in", "back\\\\slash", "sl\\/ash", "line\\nbreak", "tab\\t", "\\u00e9t\\u00e9", "\\ud83d\\ude00", "été 中文 😀", "\\u0000nul", "<&>'"];

    private readonly Random _random = new(seed);

    public string Next()
    {
        var fields = new List<string>
        {
            Member("event_id", Quote($"e-{_random.Next()}")),
            Member("event_type", Quote(Pick(["page_view", "purchase", "video_play", "caf\\u00e9_view"]))),
            Member("timestamp", Quote(Timestamp())),
            Member("user_id", Quote($"u-{_random.Next(1000)}")),
            Member("session_id", Quote($"s-{_random.Next(1000)}")),
        };

        foreach (var name in OptionalFields)
        {
            for (var n = _random.Next(4) == 0 ? 2 : _random.Next(2); n > 0; n--)
            {
                fields.Insert(_random.Next(fields.Count + 1), Member(Escape(name), ColumnValue(name)));
            }
        }

        for (var n = _random.Next(4); n > 0; n--)
        {
            fields.Insert(_random.Next(fields.Count + 1), Member(Pick(FreeNames), Value(2)));
        }

        for (var n = _random.Next(3); n > 0; n--)
        {
            var properties = _random.Next(6) switch
            {
                0 => "null",
                1 => Value(1),
                _ => Object(2, properties: true),
            };
            fields.Insert(_random.Next(fields.Count + 1), Member("properties", properties));
        }

        return "{" + Ws() + string.Join("," + Ws(), fields) + Ws() + "}";
    }

    private string ColumnValue(string name) => _random.Next(3) == 0 ? Value(1) : name switch
    {
        "price" => Pick(["9.99", "0", "-1.5e2", "1e400", "\"9.99\"", "12"]),
        "quantity" => Pick(["1", "2", "1.5", "1e2", "-3", "9223372036854775807", "9223372036854775808", "\"3\""]),
        "schema_version" => Pick(["1", "2", "2.0", "2147483648", "-7"]),
        "received_at" => Pick(["\"2026-11-01T12:00:01.5Z\"", "\"2026-11-01T13:00:00+01:00\"", "\"yesterday\"", "1793534400000"]),
        _ => Quote(Pick(Texts)),
    };

    private string Value(int depth) => _random.Next(depth > 0 ? 9 : 6) switch
    {
        0 => Quote(Pick(Texts)),
        1 => Pick(["0", "-1", "1.50", "1E+2", "123456789012345678901234567890", "-0.0"]),
        2 => Pick(["true", "false"]),
        3 => "null",
        4 => Quote(Pick(Texts)),
        5 => _random.Next(100).ToString(CultureInfo.InvariantCulture),
        6 or 7 => Object(depth - 1, properties: false),
        _ => "[" + Ws() + string.Join("," + Ws(), Enumerable.Range(0, _random.Next(4)).Select(_ => Value(depth - 1))) + Ws() + "]",
    };

    private string Object(int depth, bool properties)
    {
        var names = properties ? FreeNames : ["k", "v", "x", "title"];
        var members = Enumerable.Range(0, _random.Next(properties ? 5 : 3))
            .Select(_ => Pick(names))
            .Distinct()
            .Select(name => Member(name, Value(depth)));
        return "{" + Ws() + string.Join("," + Ws(), members) + Ws() + "}";
    }

    /// <summary>A member whose name is written plain or with \u escapes, at random.</summary>
    private string Member(string name, string value) =>
        Quote(name.Contains('\\') ? name : (_random.Next(8) == 0 ? Escape(name) : JsonName(name))) + Ws() + ":" + Ws() + value;

    private static string JsonName(string name) => name.Replace("\"", "\\\"", StringComparison.Ordinal);

    /// <summary>The name with one ASCII letter written as a \u escape, when it has one.</summary>
    private string Escape(string name)
    {
        var at = name.IndexOfAny(['a', 'e', 'i', 'o', 'u']);
        return at < 0 || _random.Next(8) != 0 ? JsonName(name) : $"{JsonName(name[..at])}\\u{(int)name[at]:x4}{JsonName(name[(at + 1)..])}";
    }

    private string Timestamp()
    {
        var micros = 1_793_534_400_000_000L + _random.NextInt64(86_400_000_000L);
        var time = DateTime.UnixEpoch.AddTicks(micros * 10);
        var offset = TimeSpan.FromMinutes(_random.Next(-14 * 4, 14 * 4) * 15);
        var local = new DateTimeOffset(time).ToOffset(offset);
        var text = new StringBuilder(local.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        text.Append(_random.Next(3) switch
        {
            0 => "",
            1 => local.ToString(".fff", CultureInfo.InvariantCulture),
            _ => local.ToString(".ffffff", CultureInfo.InvariantCulture),
        });
        text.Append(offset == TimeSpan.Zero && _random.Next(2) == 0 ? "Z" : local.ToString("zzz", CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private string Ws() => _random.Next(5) switch
    {
        0 => " ",
        1 => "\t ",
        _ => "",
    };

    private static string Quote(string jsonText) => "\"" + jsonText + "\"";

    private string Pick(string[] values) => values[_random.Next(values.Length)];
}
