using System.Net;
using Clickstream.Collector.Ingest;
using Clickstream.Collector.Landing;
using Clickstream.Collector.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clickstream.Collector;

/// <summary>
/// A running collector: Kestrel serving <c>POST /v1/events</c>, <c>/healthz</c>, <c>/readyz</c> and
/// <c>/metrics</c>, in front of the landing log in <see cref="CollectorOptions.SinkDirectory"/> or the sink
/// <see cref="CollectorOptions.Sink"/> makes. Start it with
/// <see cref="StartAsync"/>; stopping drains in-flight requests, then writes and publishes the open landing file
/// (or waits for the sink to store what it holds).
/// </summary>
public sealed class CollectorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IEventSink _sink;
    private int _stopped;

    private CollectorServer(WebApplication app, IEventSink sink, CollectorMetrics metrics, Uri url)
    {
        _app = app;
        _sink = sink;
        Metrics = metrics;
        Url = url;
    }

    /// <summary>The bound base address, e.g. <c>http://127.0.0.1:8080/</c> (the real port when 0 was asked for).</summary>
    public Uri Url { get; }

    internal CollectorMetrics Metrics { get; }

    /// <summary>
    /// Publishes any landing file a previous run left open, binds the address and starts serving.
    /// Throws <see cref="ArgumentException"/> for unusable options and <see cref="IOException"/> when the port or
    /// folder cannot be used.
    /// </summary>
    public static async Task<CollectorServer> StartAsync(CollectorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var address = IPAddress.Parse(options.Host);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(CollectorServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        if (options.ConsoleLogging)
        {
            // Standard error: standard output belongs to the host (its startup line is read by scripts).
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .AddSimpleConsole(o => o.SingleLine = true)
                .SetMinimumLevel(LogLevel.Warning)

                // A start failure (e.g. the port is taken) is thrown to the caller, which reports it once.
                .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        }

        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(address, options.Port);
            kestrel.AddServerHeader = false;

            // The endpoint enforces its own limits so that every refusal has a JSON body and a counter.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddCors();

        var app = builder.Build();
        var metrics = new CollectorMetrics();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Clickstream.Collector");
        var sink = options.Sink?.Invoke() ?? new LandingWriter(options.SinkDirectory, options.RollBytes, options.RollAge, options.MaxPendingBytes, options.Time, metrics, logger);
        try
        {
            Map(app, options, sink, metrics);
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await sink.DisposeAsync();
            await app.DisposeAsync();
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CollectorServer(app, sink, metrics, new Uri(bound.EndsWith('/') ? bound : bound + "/"));
    }

    /// <summary>Stops accepting requests, lets in-flight ones finish, then publishes the open landing file.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            await _app.StopAsync(cancellationToken);
        }
        finally
        {
            await _sink.DisposeAsync();
        }
    }

    /// <summary>Stops (if still running) and releases the host.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    private static void Map(WebApplication app, CollectorOptions options, IEventSink sink, CollectorMetrics metrics)
    {
        app.UseCors(policy =>
        {
            if (options.AllowedOrigins.Count == 0)
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins([.. options.AllowedOrigins]);
            }

            policy.WithMethods("POST")
                .WithHeaders("Authorization", "Content-Type", "Content-Encoding")
                .WithExposedHeaders("Retry-After")
                .SetPreflightMaxAge(TimeSpan.FromHours(1));
        });

        var ingest = new IngestEndpoint(options, sink, metrics);
        app.MapPost("/v1/events", ingest.HandleAsync);
        app.MapGet("/healthz", (HttpContext context) => context.Response.WriteAsync("ok\n"));
        app.MapGet("/readyz", (HttpContext context) =>
        {
            if (sink.IsHealthy)
            {
                return context.Response.WriteAsync("ready\n");
            }

            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            return context.Response.WriteAsync($"the sink ({sink.Description}) cannot make events durable\n");
        });
        app.MapGet("/metrics", (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            var text = new System.Text.StringBuilder(metrics.Render());
            sink.WriteMetrics(text);
            return context.Response.WriteAsync(text.ToString());
        });
    }
}
