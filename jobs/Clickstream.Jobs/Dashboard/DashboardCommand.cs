using System.Net;
using Clickstream.Dashboard;
using Clickstream.Jobs.Cli;

namespace Clickstream.Jobs.Dashboard;

/// <summary><c>clickstream dashboard</c>: serves the live dashboard page and its JSON API over an aggregate store.</summary>
internal sealed class DashboardCommand : ICommand
{
    public string Name => "dashboard";

    public string Summary => "serve the live dashboard (page, JSON API, live updates) over an aggregate store";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string>(StringComparer.Ordinal);

    public string Usage => """
        usage: clickstream dashboard --store FILE|dynamodb://TABLE [--port Q] [--host ADDRESS] [--checkpoint LOC]

        Serves the dashboard page at http://HOST:PORT/ and its JSON API under /api (docs/dashboard.md). The page
        updates by itself within a second of every batch `clickstream stream` commits to the store. Ranges end at
        the newest event window in the store. Runs until Ctrl-C.

          --store LOC        the aggregate store written by `clickstream stream`: a SQLite file (may not exist
                             yet) or dynamodb://TABLE (must exist; standard AWS settings)
          --port Q           TCP port (default 8080; 0 picks a free one)
          --host ADDRESS     address to bind (default 127.0.0.1; 0.0.0.0 exposes the dashboard to the network)
          --checkpoint LOC   the job's checkpoint (a folder or s3://BUCKET/PREFIX), for the watermark lag and
                             processing rate (optional)
        """;

    public async Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var store = Store.StoreLocation.Parse(args.RequiredString("store")).Text;
        var port = (int)args.Long("port", 8080, 0, 65535);
        var hostText = args.String("host") ?? "127.0.0.1";
        var checkpoint = args.String("checkpoint") is { } c ? Locations.Location.Parse("--checkpoint", c).Text : null;
        args.EnsureAllUsed();
        if (!IPAddress.TryParse(hostText, out var host))
        {
            throw new UsageException($"--host must be an IP address, got '{hostText}'");
        }

        var data = StoreDashboardData.Open(store, checkpoint, TimeProvider.System);
        await using var server = await DashboardServer.StartAsync(data, new DashboardOptions { Address = host, Port = port }, cancellationToken);
        await output.WriteLineAsync($"dashboard: {server.Url}   (store {store}; Ctrl-C stops)");
        await output.FlushAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM: a clean stop, not an error.
        }

        await server.StopAsync(CancellationToken.None);
        await output.WriteLineAsync("dashboard: stopped");
        return 0;
    }
}
