using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Clickstream.Dashboard;

/// <summary>The JSON API under <c>/api</c> (docs/dashboard.md) and the live feed at <c>/api/events</c>.</summary>
internal static class DashboardApi
{
    public static void Map(IEndpointRouteBuilder app, IDashboardData data, ChangeFeed feed, DashboardOptions options)
    {
        app.MapGet("/api/ranges", (HttpContext http) => Write(http, 200, new JsonObject
        {
            ["default"] = DashboardRanges.Default,
            ["ranges"] = new JsonArray([.. DashboardRanges.All.Select(r => (JsonNode?)JsonValue.Create(r.Name))]),
        }));
        app.MapGet("/api/version", (HttpContext http) => Guarded(http, () => Write(http, 200, Node(data.GetVersion()))));
        app.MapGet("/api/metrics", (HttpContext http) => WithRange(http, (name, span) =>
            Write(http, 200, WithRangeName(Node(data.GetMetrics(span)), name))));
        app.MapGet("/api/health", (HttpContext http) => WithRange(http, (name, span) =>
            Write(http, 200, WithRangeName(Node(data.GetHealth(span)), name))));
        app.MapGet("/api/dashboard", (HttpContext http) => WithRange(http, (name, span) =>
        {
            // Version first: if a batch commits while the figures are read, the page sees a newer version on the
            // feed and reads again, so it never keeps figures older than the version it shows.
            var version = data.GetVersion();
            var metrics = data.GetMetrics(span);
            var health = data.GetHealth(span);
            return Write(http, 200, new JsonObject
            {
                ["range"] = name,
                ["version"] = Node(version),
                ["metrics"] = Node(metrics),
                ["health"] = Node(health),
            });
        }));
        app.MapGet("/api/events", (HttpContext http, IHostApplicationLifetime lifetime) =>
            LiveFeed.StreamAsync(http, feed, options, lifetime.ApplicationStopping));
    }

    private static Task WithRange(HttpContext http, Func<string, TimeSpan, Task> handle)
    {
        if (!DashboardRanges.TryParse(http.Request.Query["range"], out var name, out var span))
        {
            var names = string.Join(", ", DashboardRanges.All.Select(r => r.Name));
            return Write(http, 400, new JsonObject { ["error"] = $"range must be one of {names}, got '{name}'" });
        }

        return Guarded(http, () => handle(name, span));
    }

    private static Task Guarded(HttpContext http, Func<Task> handle)
    {
        try
        {
            return handle();
        }
        catch (DashboardDataUnavailableException e)
        {
            return Write(http, 503, new JsonObject { ["error"] = e.Message });
        }
    }

    private static JsonObject WithRangeName(JsonObject node, string name)
    {
        node.Insert(0, "range", name);
        return node;
    }

    private static JsonObject Node<T>(T value) =>
        JsonSerializer.SerializeToNode(value, DashboardJson.Options)!.AsObject();

    private static Task Write(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(body.ToJsonString(DashboardJson.Options), http.RequestAborted);
    }
}
