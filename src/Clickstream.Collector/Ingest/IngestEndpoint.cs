using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Clickstream.Collector.Metrics;
using Microsoft.AspNetCore.Http;

namespace Clickstream.Collector.Ingest;

/// <summary>
/// <c>POST /v1/events</c>: authenticate, read the body within the limits, split it into landed lines, hand them
/// to the sink and answer 202 only once they are durable (fsync'd, or stored in Kinesis). Every refusal has a reason, a counter and a JSON
/// body <c>{"error": reason, "message": text}</c>.
/// </summary>
internal sealed class IngestEndpoint
{
    private readonly CollectorOptions _options;
    private readonly IEventSink _sink;
    private readonly CollectorMetrics _metrics;
    private readonly WriteKeyAuthenticator _authenticator;

    public IngestEndpoint(CollectorOptions options, IEventSink sink, CollectorMetrics metrics)
    {
        _options = options;
        _sink = sink;
        _metrics = metrics;
        _authenticator = new WriteKeyAuthenticator(options.WriteKeys);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await HandleCoreAsync(context);
        }
        finally
        {
            _metrics.Observe(Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        var request = context.Request;
        if (_authenticator.Authenticate(request.Headers.Authorization) is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await RejectAsync(context, RejectReason.Unauthorized, "a valid write key is required: Authorization: Bearer <key>");
            return;
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            await RejectAsync(context, RejectReason.UnsupportedEncoding, "Content-Encoding must be gzip or absent");
            return;
        }

        var limit = _options.MaxRequestBytes;
        if (request.ContentLength > limit)
        {
            await RejectAsync(context, RejectReason.RequestTooLarge, $"the request body is {request.ContentLength} bytes; the limit is {limit} bytes");
            return;
        }

        using var wire = new PooledBuffer((int)Math.Min(request.ContentLength ?? 16 * 1024, limit) + 1);
        if (!await wire.ReadFromAsync(request.Body, limit, context.RequestAborted))
        {
            await RejectAsync(context, RejectReason.RequestTooLarge, $"the request body is over the limit of {limit} bytes");
            return;
        }

        using var decoded = gzip ? new PooledBuffer(Math.Min(limit, wire.Count * 8) + 1) : null;
        if (decoded is not null)
        {
            var reason = await DecompressAsync(wire, decoded, limit, context.RequestAborted);
            if (reason is not null)
            {
                await RejectAsync(context, reason.Value, reason == RejectReason.InvalidGzip
                    ? "the body is not valid gzip"
                    : $"the decompressed body is over the limit of {limit} bytes");
                return;
            }
        }

        var body = decoded ?? wire;
        _metrics.Received(wire.Count, body.Count);
        using var output = new PooledBuffer(body.Count + 1024);
        var result = Split(context, body, output);
        if (result.Error is { } error)
        {
            await RejectAsync(context, error, result.Message!);
            return;
        }

        if (result.Events > 0)
        {
            try
            {
                await _sink.AppendAsync(output.WrittenSpan).WaitAsync(_options.DurabilityTimeout, _options.Time);
            }
            catch (Exception e) when (e is SinkUnavailableException or TimeoutException)
            {
                context.Response.Headers.RetryAfter = "1";
                await RejectAsync(context, RejectReason.Unavailable, "the events could not be made durable; retry the same request later");
                return;
            }
        }

        _metrics.Accepted(result.Events);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"accepted\":" + result.Events + "}");
    }

    private SplitResult Split(HttpContext context, PooledBuffer body, PooledBuffer output)
    {
        var request = context.Request;
        var lander = new EventLander(
            EventLander.FormatReceivedAt(_options.Time.GetUtcNow()),
            IpAnonymizer.Anonymize(context.Connection.RemoteIpAddress),
            request.Headers.UserAgent.Count > 0 ? request.Headers.UserAgent.ToString() : null);
        var contentType = request.ContentType ?? "";
        var ndjson = contentType.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/ndjson", StringComparison.OrdinalIgnoreCase);
        return ndjson
            ? EventSplitter.SplitNdjson(body.WrittenSpan, lander, output, _options.MaxEventBytes, _options.MaxEventsPerRequest)
            : EventSplitter.SplitArray(body.WrittenSpan, lander, output, _options.MaxEventBytes, _options.MaxEventsPerRequest);
    }

    private static async Task<RejectReason?> DecompressAsync(PooledBuffer wire, PooledBuffer decoded, int limit, CancellationToken cancellationToken)
    {
        try
        {
            using var gzip = new GZipStream(new ReadOnlyMemoryStream(wire.WrittenMemory), CompressionMode.Decompress);
            return await decoded.ReadFromAsync(gzip, limit, cancellationToken) ? null : RejectReason.DecompressedTooLarge;
        }
        catch (InvalidDataException)
        {
            return RejectReason.InvalidGzip;
        }
    }

    private async Task RejectAsync(HttpContext context, RejectReason reason, string message)
    {
        _metrics.Reject(reason);
        var response = context.Response;
        response.StatusCode = RejectReasons.Status(reason);
        response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(response.BodyWriter);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("error", RejectReasons.Name(reason));
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }
    }
}
