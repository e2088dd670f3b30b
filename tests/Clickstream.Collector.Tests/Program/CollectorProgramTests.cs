using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Clickstream.Collector.Tests.Support;

namespace Clickstream.Collector.Tests.Program;

/// <summary>
/// The real programs end to end: <c>clickstream collector</c> as a child process takes events over HTTP and stops
/// on SIGTERM, and <c>clickstream stream</c> reads its landing files with the right counts.
/// </summary>
public sealed class CollectorProgramTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "collector-program-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Fact]
    public async Task CollectorThenStreamJob_LandedEvents_CountedValidAndInvalid()
    {
        var sink = Path.Combine(_work, "landing");
        using var collector = ClickstreamProgram.Start("collector", "--sink", sink, "--port", "0", "--write-key", "web=program-test-key", "--roll-seconds", "0.2");
        var stderr = collector.StandardError.ReadToEndAsync();
        var url = await ReadUrlAsync(collector);

        using var client = new HttpClient { BaseAddress = url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "program-test-key");
        for (var r = 0; r < 3; r++)
        {
            var body = new StringBuilder();
            for (var i = 0; i < 100; i++)
            {
                body.Append(TestCollector.Event((r * 100) + i)).Append('\n');
            }

            // One line per request that the job must quarantine, never dropped by the collector.
            body.Append("{\"event_id\":\"broken-").Append(r).Append("\"}\n");
            using var response = await client.PostAsync("v1/events", TestCollector.Ndjson(body.ToString()));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal("{\"accepted\":101}", await response.Content.ReadAsStringAsync());
        }

        using (var unauthorized = new HttpClient { BaseAddress = url })
        {
            using var response = await unauthorized.PostAsync("v1/events", TestCollector.Ndjson(TestCollector.Event(999)));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await StopAsync(collector);
        Assert.Equal(0, collector.ExitCode);
        Assert.DoesNotContain("program-test-key", await stderr, StringComparison.Ordinal);
        Assert.All(Directory.GetFiles(sink), f => Assert.StartsWith("events-", Path.GetFileName(f), StringComparison.Ordinal));

        var store = Path.Combine(_work, "store.db");
        var (code, _, err) = await ClickstreamProgram.RunAsync(
            TimeSpan.FromMinutes(2), "stream", "--input", sink, "--checkpoint", Path.Combine(_work, "checkpoint"), "--store", store, "--trigger", "available-now", "--quiet");
        Assert.True(code == 0, err);

        var (exportCode, export, exportErr) = await ClickstreamProgram.RunAsync(TimeSpan.FromMinutes(1), "export", "--store", store);
        Assert.True(exportCode == 0, exportErr);
        Assert.Equal(300, Sum(export, "events"));
        Assert.Equal(300, Sum(export, "page_views"));
        Assert.Equal(3, Sum(export, "invalid"));
    }

    [Fact]
    public async Task Collector_KilledAfterAcknowledging_NextStartPublishesEveryAcknowledgedEvent()
    {
        var sink = Path.Combine(_work, "landing");
        string[] args = ["collector", "--sink", sink, "--port", "0", "--write-key", "web=program-test-key", "--roll-seconds", "3600"];
        using (var first = ClickstreamProgram.Start(args))
        {
            var url = await ReadUrlAsync(first);
            using var client = new HttpClient { BaseAddress = url };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "program-test-key");
            for (var r = 0; r < 3; r++)
            {
                var body = string.Join('\n', Enumerable.Range(r * 100, 100).Select(i => TestCollector.Event(i)));
                using var response = await client.PostAsync("v1/events", TestCollector.Ndjson(body));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }

            // SIGKILL: no chance to publish. The acknowledged events are in the hidden open file only.
            first.Kill();
            await first.WaitForExitAsync();
        }

        var hidden = Assert.Single(Directory.GetFiles(sink));
        Assert.StartsWith(".events-", Path.GetFileName(hidden), StringComparison.Ordinal);

        using (var second = ClickstreamProgram.Start(args))
        {
            await ReadUrlAsync(second);

            // Published at start, before any new request.
            var published = Assert.Single(Directory.GetFiles(sink));
            Assert.Equal(Path.GetFileName(hidden)[1..^".tmp".Length], Path.GetFileName(published));
            await StopAsync(second);
            Assert.Equal(0, second.ExitCode);
        }

        var ids = TestCollector.ReadPublishedLines(sink).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event_id").GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"e-{i}"), ids);
    }

    [Fact]
    public async Task Collector_PortTaken_ExitsWithOneLineError()
    {
        await using var running = await TestCollector.StartAsync();

        var (code, _, stderr) = await ClickstreamProgram.RunAsync(
            TimeSpan.FromMinutes(1), "collector", "--sink", Path.Combine(_work, "landing"), "--port", running.Server.Url.Port.ToString(CultureInfo.InvariantCulture), "--write-key", "web=k");

        Assert.Equal(1, code);
        Assert.Contains("address already in use", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collector_WithoutWriteKeys_ExitsWithUsageError()
    {
        var (code, _, stderr) = await ClickstreamProgram.RunAsync(TimeSpan.FromMinutes(1), "collector", "--sink", Path.Combine(_work, "landing"), "--port", "0");

        Assert.Equal(2, code);
        Assert.Contains("write key", stderr, StringComparison.Ordinal);
    }

    private static async Task<Uri> ReadUrlAsync(Process collector)
    {
        var line = await collector.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.NotNull(line);
        const string prefix = "collector listening on ";
        Assert.StartsWith(prefix, line, StringComparison.Ordinal);
        return new Uri(line[prefix.Length..line.IndexOf(' ', prefix.Length)]);
    }

    private static async Task StopAsync(Process process)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await ClickstreamProgram.WaitAsync(process, TimeSpan.FromMinutes(1));
    }

    private static long Sum(string ndjson, string metric)
    {
        long total = 0;
        foreach (var line in ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var row = JsonDocument.Parse(line);
            if (row.RootElement.GetProperty("metric").GetString() == metric)
            {
                total += row.RootElement.GetProperty("value").GetInt64();
            }
        }

        return total;
    }
}
