using System.Globalization;
using System.Text.Json;
using Clickstream.Udfs.Raw;

namespace Clickstream.Udfs.Tests.Raw;

/// <summary>
/// An independent, slow model of the raw column rules on <see cref="JsonDocument"/>, to check the extractor
/// against: each column's expected value by name, and the expected members of <c>properties</c> in order.
/// </summary>
internal static class RawReference
{
    public static (Dictionary<string, object?> Columns, List<(string Name, JsonElement Value)> Properties) Extract(string line)
    {
        using var doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = EventParser.MaxDepth });
        var members = doc.RootElement.EnumerateObject().ToList();
        var last = new Dictionary<string, int>();
        for (var i = 0; i < members.Count; i++)
        {
            last[members[i].Name] = i;
        }

        var columns = RawEventColumns.ColumnNames.ToDictionary(name => name, _ => (object?)null);
        columns.Remove("event_time");
        columns.Remove("properties");
        var inner = new List<(string, JsonElement)>();
        var extras = new List<(string Name, JsonElement Value)>();
        for (var i = 0; i < members.Count; i++)
        {
            var (name, value) = (members[i].Name, members[i].Value.Clone());
            if (last[name] != i)
            {
                continue;
            }

            if (name == "properties" && value.ValueKind == JsonValueKind.Object)
            {
                inner.AddRange(value.EnumerateObject().Select(p => (p.Name, p.Value.Clone())));
            }
            else if (name == "properties" && value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            else if (name == "timestamp")
            {
                columns["event_time"] = Micros(value.GetString()!);
            }
            else if (!columns.ContainsKey(name) || !TryColumn(name, value, out var column))
            {
                extras.Add((name, value));
            }
            else
            {
                columns[name] = column;
            }
        }

        return (columns, [.. inner, .. Renamed(inner, extras)]);
    }

    public static long Micros(string iso)
    {
        var t = DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);
        return (t.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
    }

    /// <summary>Asserts that row <paramref name="row"/> of <paramref name="actual"/> is what the model expects for <paramref name="line"/>.</summary>
    public static void AssertRow(string line, RawEventColumns actual, int row)
    {
        var (columns, properties) = Extract(line);
        foreach (var (name, expected) in columns)
        {
            Assert.True(Equals(expected, Actual(actual, name, row)), $"{name}: expected {expected ?? "null"}, got {Actual(actual, name, row) ?? "null"} in {line}");
        }

        var text = actual.Properties[row];
        Assert.True(RawLines.IsCompact(text), text);
        var parsed = RawLines.Parse(text);
        var got = parsed.EnumerateObject().Select(p => (p.Name, p.Value)).ToList();
        Assert.Equal(properties.Select(p => p.Name), got.Select(p => p.Name));
        for (var i = 0; i < got.Count; i++)
        {
            Assert.True(JsonElement.DeepEquals(properties[i].Value, got[i].Value), $"properties.{got[i].Name}: expected {properties[i].Value.GetRawText()}, got {got[i].Value.GetRawText()}");
            Assert.Equal(Compact(properties[i].Value.GetRawText()), got[i].Value.GetRawText());
        }
    }

    private static bool TryColumn(string name, JsonElement value, out object? column)
    {
        column = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        var raw = value.GetRawText();
        switch (name)
        {
            case "price":
                var ok = value.ValueKind == JsonValueKind.Number && double.IsFinite(double.Parse(raw, CultureInfo.InvariantCulture));
                column = ok ? double.Parse(raw, CultureInfo.InvariantCulture) : null;
                return ok;
            case "quantity":
                ok = value.ValueKind == JsonValueKind.Number && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
                column = ok ? long.Parse(raw, CultureInfo.InvariantCulture) : null;
                return ok;
            case "schema_version":
                ok = value.ValueKind == JsonValueKind.Number && int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
                column = ok ? int.Parse(raw, CultureInfo.InvariantCulture) : null;
                return ok;
            case "received_at":
                ok = value.ValueKind == JsonValueKind.String && value.GetString()!.Contains('T') && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, out _);
                column = ok ? Micros(value.GetString()!) : null;
                return ok;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                try
                {
                    column = value.GetString();
                    return true;
                }
                catch (InvalidOperationException)
                {
                    return false;
                }

            case JsonValueKind.Number:
                column = raw;
                return true;
            case JsonValueKind.True or JsonValueKind.False:
                column = raw;
                return true;
            default:
                return false;
        }
    }

    private static IEnumerable<(string, JsonElement)> Renamed(List<(string Name, JsonElement)> inner, List<(string Name, JsonElement Value)> extras)
    {
        var innerNames = inner.Select(m => m.Name).ToHashSet();
        var taken = innerNames.Concat(extras.Select(e => e.Name)).ToHashSet();
        foreach (var (name, value) in extras)
        {
            var final = name;
            if (innerNames.Contains(name))
            {
                do
                {
                    final = "_top." + final;
                }
                while (taken.Contains(final));
                taken.Add(final);
            }

            yield return (final, value);
        }
    }

    private static object? Actual(RawEventColumns c, string name, int i) => name switch
    {
        "event_id" => c.EventId[i],
        "event_type" => c.EventType[i],
        "event_time" => c.EventTime[i],
        "user_id" => c.UserId[i],
        "session_id" => c.SessionId[i],
        "page" => c.Page[i],
        "category" => c.Category[i],
        "device" => c.Device[i],
        "product_id" => c.ProductId[i],
        "price" => c.PriceIsNull[i] ? null : c.Price[i],
        "quantity" => c.QuantityIsNull[i] ? null : c.Quantity[i],
        "order_id" => c.OrderId[i],
        "referrer" => c.Referrer[i],
        "user_agent" => c.UserAgent[i],
        "schema_version" => c.SchemaVersionIsNull[i] ? null : c.SchemaVersion[i],
        "client_ip" => c.ClientIp[i],
        "received_at" => c.ReceivedAtIsNull[i] ? null : c.ReceivedAt[i],
        "properties" => c.Properties[i],
        _ => throw new ArgumentException(name),
    };

    /// <summary>JSON text without whitespace outside strings.</summary>
    private static string Compact(string json)
    {
        var sb = new System.Text.StringBuilder(json.Length);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\')
                {
                    sb.Append(json[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c is not (' ' or '\t' or '\r' or '\n'))
            {
                sb.Append(c);
                inString = c == '"';
            }
        }

        return sb.ToString();
    }
}
