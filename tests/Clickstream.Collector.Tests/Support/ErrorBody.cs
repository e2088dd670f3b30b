using System.Net;
using System.Text.Json;

namespace Clickstream.Collector.Tests.Support;

/// <summary>Reads a refusal: its status and the <c>error</c> and <c>message</c> fields of its JSON body.</summary>
internal static class ErrorBody
{
    public static async Task<(HttpStatusCode Status, string Error, string Message)> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.GetProperty("error").GetString()!, json.RootElement.GetProperty("message").GetString()!);
    }
}
