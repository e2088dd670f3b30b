using System.Net.Http.Headers;
using System.Text;

namespace Clickstream.Collector.Tests.Support;

/// <summary>
/// A real collector on 127.0.0.1 (a free port) over a fresh temporary landing folder, with an HttpClient that
/// presents the write key of the app <c>web</c>. Disposing stops it and deletes the folder.
/// </summary>
internal sealed class TestCollector : IAsyncDisposable
{
    public const string WebKey = "web-key-0123456789";
    public const string MobileKey = "mobile-key-abcdef";

    private TestCollector(CollectorServer server, string sink)
    {
        Server = server;
        Sink = sink;
        Client = new HttpClient { BaseAddress = server.Url };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WebKey);
    }

    public CollectorServer Server { get; }

    public string Sink { get; }

    public HttpClient Client { get; }

    public static async Task<TestCollector> StartAsync(Func<CollectorOptions, CollectorOptions>? configure = null)
    {
        var sink = Path.Combine(Path.GetTempPath(), "collector-test-" + Guid.NewGuid().ToString("N"));
        var options = new CollectorOptions
        {
            SinkDirectory = sink,
            Port = 0,
            WriteKeys = [new WriteKey("web", WebKey), new WriteKey("mobile", MobileKey)],
        };
        var server = await CollectorServer.StartAsync(configure is null ? options : configure(options));
        return new TestCollector(server, sink);
    }

    public static HttpContent Ndjson(string text) => new StringContent(text, Encoding.UTF8, "application/x-ndjson");

    public static HttpContent Json(string text) => new StringContent(text, Encoding.UTF8, "application/json");

    public static string Event(int i, string extra = "") =>
        $$"""{"event_id":"e-{{i}}","event_type":"page_view","timestamp":"2026-11-01T12:00:00.000Z","user_id":"u{{i % 7}}","session_id":"s{{i % 3}}","category":"books"{{extra}}}""";

    /// <summary>Stops the collector (publishing the open file) and returns every landed line, file by file in name order.</summary>
    public async Task<List<string>> StopAndReadLinesAsync()
    {
        await Server.StopAsync();
        return ReadPublishedLines(Sink);
    }

    public static List<string> ReadPublishedLines(string sink)
    {
        var lines = new List<string>();
        foreach (var file in Directory.GetFiles(sink).Order(StringComparer.Ordinal))
        {
            Assert.StartsWith("events-", Path.GetFileName(file), StringComparison.Ordinal);
            Assert.EndsWith(".ndjson", file, StringComparison.Ordinal);
            var text = File.ReadAllText(file);
            Assert.EndsWith("\n", text, StringComparison.Ordinal);
            lines.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        if (Directory.Exists(Sink))
        {
            Directory.Delete(Sink, recursive: true);
        }
    }
}
