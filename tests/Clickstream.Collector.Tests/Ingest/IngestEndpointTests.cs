using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Clickstream.Collector.Tests.Support;

namespace Clickstream.Collector.Tests.Ingest;

/// <summary>POST /v1/events against a real collector on loopback: every limit and error, and what lands.</summary>
public sealed class IngestEndpointTests
{
    [Fact]
    public async Task PostNdjson_ValidEvents_Returns202AndLandsStampedLines()
    {
        await using var collector = await TestCollector.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/events") { Content = TestCollector.Ndjson(TestCollector.Event(1) + "\n" + TestCollector.Event(2) + "\r\n\n") };
        request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) Test/1.0");

        using var response = await collector.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("""{"accepted":2}""", await response.Content.ReadAsStringAsync());
        var lines = await collector.StopAndReadLinesAsync();
        Assert.Equal(2, lines.Count);
        for (var i = 0; i < 2; i++)
        {
            var original = TestCollector.Event(i + 1);
            Assert.StartsWith(original[..^1] + ",\"received_at\":\"", lines[i], StringComparison.Ordinal);
            using var json = JsonDocument.Parse(lines[i]);
            var root = json.RootElement;
            Assert.Equal($"e-{i + 1}", root.GetProperty("event_id").GetString());
            Assert.Equal("127.0.0.0", root.GetProperty("client_ip").GetString());
            Assert.Equal("Mozilla/5.0 (X11; Linux x86_64) Test/1.0", root.GetProperty("user_agent").GetString());
            var receivedAt = root.GetProperty("received_at").GetString()!;
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", receivedAt);
        }
    }

    [Fact]
    public async Task PostArray_PrettyPrinted_LandsOneLinePerEventInOrder()
    {
        await using var collector = await TestCollector.StartAsync();
        var body = "[\n  " + TestCollector.Event(1).Replace(",", ",\n    ", StringComparison.Ordinal) + ",\n  " + TestCollector.Event(2) + ",\n  {}\n]";

        using var response = await collector.Client.PostAsync("v1/events", TestCollector.Json(body));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var lines = await collector.StopAndReadLinesAsync();
        Assert.Equal(3, lines.Count);
        Assert.Equal("e-1", JsonDocument.Parse(lines[0]).RootElement.GetProperty("event_id").GetString());
        Assert.Equal("e-2", JsonDocument.Parse(lines[1]).RootElement.GetProperty("event_id").GetString());
        Assert.StartsWith("{\"received_at\":", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostNdjson_InvalidLines_LandedUnchangedForTheJobToQuarantine()
    {
        await using var collector = await TestCollector.StartAsync();
        const string notJson = "this is not json";
        const string notObject = "[1,2,3]";
        const string brokenObject = "{\"event_id\":\"x\",";

        using var response = await collector.Client.PostAsync("v1/events", TestCollector.Ndjson($"{notJson}\n{notObject}\n{brokenObject}\n{TestCollector.Event(1)}\n"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var lines = await collector.StopAndReadLinesAsync();
        Assert.Equal([notJson, notObject, brokenObject], lines.Take(3));
        Assert.Contains("\"client_ip\":\"127.0.0.0\"", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_EventWithItsOwnUserAgent_KeepsTheEventsValue()
    {
        await using var collector = await TestCollector.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/events") { Content = TestCollector.Ndjson(TestCollector.Event(1, ",\"user_agent\":\"app/2.0\"")) };
        request.Headers.UserAgent.ParseAdd("Header/1.0");

        using var response = await collector.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var line = Assert.Single(await collector.StopAndReadLinesAsync());
        Assert.Equal("app/2.0", JsonDocument.Parse(line).RootElement.GetProperty("user_agent").GetString());
        Assert.DoesNotContain("Header/1.0", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_GzipNdjson_Returns202()
    {
        await using var collector = await TestCollector.StartAsync();
        var content = new ByteArrayContent(Gzip(Encoding.UTF8.GetBytes(TestCollector.Event(1) + "\n" + TestCollector.Event(2) + "\n")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await collector.Client.PostAsync("v1/events", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (await collector.StopAndReadLinesAsync()).Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key")]
    [InlineData("Basic d2ViOndlYi1rZXk=")]
    [InlineData("Bearer ")]
    public async Task Post_WithoutAValidWriteKey_Returns401(string? authorization)
    {
        await using var collector = await TestCollector.StartAsync();
        using var client = new HttpClient { BaseAddress = collector.Server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/events") { Content = TestCollector.Ndjson(TestCollector.Event(1)) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);

        var (status, error, _) = await ErrorBody.ReadAsync(response);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", error);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Empty(await collector.StopAndReadLinesAsync());
    }

    [Fact]
    public async Task Post_SecondAppsKey_Returns202()
    {
        await using var collector = await TestCollector.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/events") { Content = TestCollector.Ndjson(TestCollector.Event(1)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestCollector.MobileKey);

        using var response = await collector.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Post_BodyOverOneMebibyte_Returns413()
    {
        await using var collector = await TestCollector.StartAsync();
        var body = new string(' ', (1024 * 1024) - 1) + "[]" + " ";

        using var response = await collector.Client.PostAsync("v1/events", TestCollector.Json(body));

        var (status, error, message) = await ErrorBody.ReadAsync(response);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("request_too_large", error);
        Assert.Contains("1048576", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ChunkedBodyOverOneMebibyte_Returns413()
    {
        await using var collector = await TestCollector.StartAsync();
        var content = new StreamContent(new MemoryStream(new byte[(1024 * 1024) + 10]));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/events") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await collector.Client.SendAsync(request);

        var (status, error, _) = await ErrorBody.ReadAsync(response);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("request_too_large", error);
    }

    [Fact]
    public async Task Post_GzipThatDecompressesOverOneMebibyte_Returns413()
    {
        await using var collector = await TestCollector.StartAsync();
        var lines = new StringBuilder();
        while (lines.Length <= 1024 * 1024)
        {
            lines.Append(TestCollector.Event(lines.Length)).Append('\n');
        }

        var content = new ByteArrayContent(Gzip(Encoding.UTF8.GetBytes(lines.ToString())));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await collector.Client.PostAsync("v1/events", content);

        var (status, error, _) = await ErrorBody.ReadAsync(response);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("decompressed_too_large", error);
    }

    [Fact]
    public async Task Post_InvalidGzip_Returns400()
    {
        await using var collector = await TestCollector.StartAsync();
        var content = new ByteArrayContent("not gzip at all"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await collector.Client.PostAsync("v1/events", content);

        var (status, error, _) = await ErrorBody.ReadAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_gzip", error);
    }

    [Fact]
    public async Task Post_UnsupportedContentEncoding_Returns415()
    {
        await using var collector = await TestCollector.StartAsync();
        var content = TestCollector.Ndjson(TestCollector.Event(1));
        content.Headers.ContentEncoding.Add("br");

        using var response = await collector.Client.PostAsync("v1/events", content);

        var (status, error, _) = await ErrorBody.ReadAsync(response);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("unsupported_encoding", error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_EventOver32KiB_Returns400AndLandsNothing(bool ndjson)
    {
        await using var collector = await TestCollector.StartAsync();
        var big = TestCollector.Event(2, ",\"properties\":{\"blob\":\"" + new string('x', 32 * 1024) + "\"}");
        using var response = await collector.Client.PostAsync("v1/events", ndjson
            ? TestCollector.Ndjson(TestCollector.Event(1) + "\n" + big)
            : TestCollector.Json("[" + TestCollector.Event(1) + "," + big + "]"));

        var (status, error, message) = await ErrorBody.ReadAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("event_too_large", error);
        Assert.Contains(ndjson ? "line 2" : "event 1", message, StringComparison.Ordinal);
        Assert.Empty(await collector.StopAndReadLinesAsync());
    }

    [Fact]
    public async Task Post_EventOfExactly32KiB_Returns202()
    {
        await using var collector = await TestCollector.StartAsync();
        var prefix = TestCollector.Event(1, ",\"pad\":\"");
        var exact = prefix + new string('x', (32 * 1024) - prefix.Length - 2) + "\"}";
        Assert.Equal(32 * 1024, exact.Length);

        using var response = await collector.Client.PostAsync("v1/events", TestCollector.Ndjson(exact));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Post_501Events_Returns400(bool ndjson)
    {
        await using var collector = await TestCollector.StartAsync();
        var events = Enumerable.Range(0, 501).Select(i => TestCollector.Event(i)).ToList();

        using var response = await collector.Client.PostAsync("v1/events", ndjson
            ? TestCollector.Ndjson(string.Join('\n', events))
            : TestCollector.Json("[" + string.Join(',', events) + "]"));

        var (status, error, _) = await ErrorBody.ReadAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("too_many_events", error);
        Assert.Empty(await collector.StopAndReadLinesAsync());
    }

    [Fact]
    public async Task Post_500Events_Returns202()
    {
        await using var collector = await TestCollector.StartAsync();
        var events = Enumerable.Range(0, 500).Select(i => TestCollector.Event(i));

        using var response = await collector.Client.PostAsync("v1/events", TestCollector.Json("[" + string.Join(',', events) + "]"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(500, (await collector.StopAndReadLinesAsync()).Count);
    }

    [Theory]
    [InlineData("[{\"event_id\":\"a\"},")]
    [InlineData("{\"event_id\":\"a\"}")]
    [InlineData("[{\"event_id\":\"a\"}] trailing")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task Post_JsonBodyThatIsNotAnArray_Returns400AndLandsNothing(string body)
    {
        await using var collector = await TestCollector.StartAsync();

        using var response = await collector.Client.PostAsync("v1/events", TestCollector.Json(body));

        var (status, error, _) = await ErrorBody.ReadAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_json", error);
        Assert.Empty(await collector.StopAndReadLinesAsync());
    }

    [Fact]
    public async Task Post_WhenTheLandingFolderCannotBeWritten_Returns503WithRetryAfterThenRecovers()
    {
        await using var collector = await TestCollector.StartAsync();
        var moved = collector.Sink + "-moved";

        // The folder is replaced by a plain file: opening a landing file in it fails with an I/O error.
        Directory.Move(collector.Sink, moved);
        await File.WriteAllTextAsync(collector.Sink, "not a folder");
        using (var response = await collector.Client.PostAsync("v1/events", TestCollector.Ndjson(TestCollector.Event(1))))
        {
            var (status, error, _) = await ErrorBody.ReadAsync(response);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unavailable", error);
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        }

        using (var ready = await collector.Client.GetAsync("readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        File.Delete(collector.Sink);
        Directory.Move(moved, collector.Sink);
        using (var response = await collector.Client.PostAsync("v1/events", TestCollector.Ndjson(TestCollector.Event(2))))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        using (var ready = await collector.Client.GetAsync("readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        var line = Assert.Single(await collector.StopAndReadLinesAsync());
        Assert.Contains("\"e-2\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_FromABrowserOrigin_AllowsPostWithTheTrackerHeaders()
    {
        await using var collector = await TestCollector.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Options, "v1/events");
        request.Headers.Add("Origin", "https://shop.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,content-encoding");

        using var response = await collector.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Contains("authorization", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Preflight_FromAnOriginNotAllowed_GetsNoCorsHeaders()
    {
        await using var collector = await TestCollector.StartAsync(o => o with { AllowedOrigins = ["https://shop.example"] });
        using var request = new HttpRequestMessage(HttpMethod.Options, "v1/events");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await collector.Client.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Metrics_AfterAcceptedAndRejectedRequests_CountsThemByReason()
    {
        await using var collector = await TestCollector.StartAsync();
        (await collector.Client.PostAsync("v1/events", TestCollector.Ndjson(TestCollector.Event(1) + "\n" + TestCollector.Event(2)))).Dispose();
        (await collector.Client.PostAsync("v1/events", TestCollector.Json("nope"))).Dispose();

        var text = await collector.Client.GetStringAsync("metrics");

        Assert.Contains("\nclickstream_collector_events_accepted_total 2\n", text, StringComparison.Ordinal);
        Assert.Contains("\nclickstream_collector_requests_rejected_total{reason=\"invalid_json\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nclickstream_collector_requests_rejected_total{reason=\"unauthorized\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("\nclickstream_collector_request_duration_seconds_count 2\n", text, StringComparison.Ordinal);
        Assert.Contains("clickstream_collector_request_duration_seconds_bucket{le=\"+Inf\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE clickstream_collector_request_duration_seconds histogram", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_WhileRunning_Returns200()
    {
        await using var collector = await TestCollector.StartAsync();

        using var health = await collector.Client.GetAsync("healthz");
        using var ready = await collector.Client.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Post_ConcurrentRequests_AllEventsLandExactlyOnce()
    {
        await using var collector = await TestCollector.StartAsync();
        var tasks = Enumerable.Range(0, 40).Select(async r =>
        {
            var body = string.Join('\n', Enumerable.Range(0, 50).Select(i => TestCollector.Event((r * 50) + i)));
            using var response = await collector.Client.PostAsync("v1/events", TestCollector.Ndjson(body));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        });
        await Task.WhenAll(tasks);

        var ids = (await collector.StopAndReadLinesAsync()).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event_id").GetString()).ToList();

        Assert.Equal(2000, ids.Count);
        Assert.Equal(2000, ids.Distinct().Count());
        Assert.True(collector.Server.Metrics.Flushes <= 40);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
