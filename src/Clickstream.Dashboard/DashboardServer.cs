using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clickstream.Dashboard;

/// <summary>
/// The dashboard web server: the embedded page, the JSON API and the live feed, over an <see cref="IDashboardData"/>.
/// Start it with <see cref="StartAsync"/>, read <see cref="Url"/>, and stop it with <see cref="StopAsync"/> or by
/// disposing it. It can run inside any process (the <c>clickstream dashboard</c> command, <c>clickstream up</c>).
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ChangeFeed _feed;
    private int _stopped;

    private DashboardServer(WebApplication app, ChangeFeed feed, Uri url)
    {
        _app = app;
        _feed = feed;
        Url = url;
    }

    /// <summary>The page's address, e.g. <c>http://127.0.0.1:8080/</c> (with the real port when 0 was asked).</summary>
    public Uri Url { get; }

    /// <summary>Binds the port and starts serving; throws <see cref="IOException"/> when the port is taken.</summary>
    public static async Task<DashboardServer> StartAsync(IDashboardData data, DashboardOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var ui = new EmbeddedUi();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(options.Address, options.Port);
            k.AddServerHeader = false;
        });
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var app = builder.Build();
        var feed = new ChangeFeed(data, options.PollInterval, options.TimeProvider);
        DashboardApi.Map(app, data, feed, options);
        app.MapFallback("{**path}", ui.ServeAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await feed.DisposeAsync();
            await app.DisposeAsync();
            throw new IOException($"the dashboard could not listen on {options.Address}:{options.Port}: {e.Message}", e);
        }

        feed.Start();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? $"http://{options.Address}:{options.Port}";
        var url = new Uri(address.Replace("[::]", IPAddress.IPv6Loopback.ToString(), StringComparison.Ordinal).TrimEnd('/') + "/");
        return new DashboardServer(app, feed, url);
    }

    /// <summary>Completes when the server is stopping (e.g. after <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops serving: live connections end, in-flight requests get a few seconds to finish.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _feed.DisposeAsync();
        await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

}
