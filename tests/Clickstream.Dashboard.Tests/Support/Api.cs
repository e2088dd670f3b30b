using System.Net;
using System.Text.Json.Nodes;

namespace Clickstream.Dashboard.Tests.Support;

/// <summary>Small helpers for reading the dashboard's JSON API.</summary>
internal static class Api
{
    public static async Task<JsonObject> GetAsync(HttpClient http, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString() ?? string.Empty, StringComparison.Ordinal);
        return JsonNode.Parse(text)!.AsObject();
    }

    public static long Long(JsonNode? node) => node!.GetValue<long>();
}
