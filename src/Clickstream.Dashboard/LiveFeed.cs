using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Clickstream.Dashboard;

/// <summary>
/// Server-sent events: a <c>version</c> event at once and after every change of the store's newest batch (or of its
/// availability), and a comment line as keep-alive. Each event's data is
/// <c>{"batch_id", "committed_at", "error"}</c>; the page reloads its figures on every event.
/// </summary>
internal static class LiveFeed
{
    public static async Task StreamAsync(HttpContext http, ChangeFeed feed, DashboardOptions options, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        var ct = linked.Token;
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            var state = feed.Current;
            await WriteEventAsync(http.Response, state, ct);
            while (!ct.IsCancellationRequested)
            {
                var changed = feed.Changed;
                if (feed.Current != state)
                {
                    state = feed.Current;
                    await WriteEventAsync(http.Response, state, ct);
                    continue;
                }

                try
                {
                    await changed.WaitAsync(options.KeepAliveInterval, options.TimeProvider, ct);
                }
                catch (TimeoutException)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page went away or the server is stopping: the stream simply ends.
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, FeedState state, CancellationToken ct)
    {
        var data = JsonSerializer.Serialize(
            new FeedEvent(state.Version.BatchId, state.Version.CommittedAt, state.Error),
            DashboardJson.Options);
        await response.WriteAsync($"event: version\ndata: {data}\n\n", ct);
        await response.Body.FlushAsync(ct);
    }

    private sealed record FeedEvent(long? BatchId, DateTimeOffset? CommittedAt, string? Error);
}
