using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Clickstream.Aws.Kinesis;
using Clickstream.Collector;
using Clickstream.Dashboard;
using Clickstream.Jobs.Cli;
using Clickstream.Jobs.Collector;
using Clickstream.Jobs.Dashboard;
using Clickstream.Jobs.Locations;
using Clickstream.Jobs.Streaming;

namespace Clickstream.Jobs.Up;

/// <summary>
/// <c>clickstream up</c>: the whole local stack in one process — the collector landing events in
/// <c>DATA/landing</c>, the stream job (landing files → <c>DATA/aggregates.db</c> and the lake tables under
/// <c>DATA/lake</c>), the dashboard over the store, and optionally a traffic simulator posting generated events
/// to the collector. Ctrl-C stops everything cleanly: the simulator, then the collector (publishing its open file),
/// then the stream after its current batch commits, then the dashboard.
/// </summary>
internal sealed class UpCommand : ICommand
{
    public string Name => "up";

    public string Summary => "run the local stack: collector → stream job → store and lake → dashboard (+ simulator)";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string>(StringComparer.Ordinal);

    public string Usage => """
        usage: clickstream up [--data DIR] [--collector-port P] [--dashboard-port Q] [--write-key K] [--simulate RATE]
                              [--trigger T] [--watermark D] [--checkpoint DIR|s3://B/P] [--lake DIR|s3://B/P]
                              [--store FILE|dynamodb://TABLE] [--sink kinesis://STREAM]

        Starts the collector, the streaming job and the dashboard in one process and prints their URLs. Layout under
        DIR (default ./data): landing/ (collector → job), checkpoint/, aggregates.db, lake/events, lake/quarantine.
        Restarting on the same DIR continues where it stopped. Ctrl-C stops everything cleanly.

          --data DIR            where everything is kept (default ./data)
          --collector-port P    collector port (default 8080; 0 picks a free one)
          --dashboard-port Q    dashboard port (default 8081; 0 picks a free one)
          --write-key K         the write key apps must send (Bearer K); app=key pairs, comma-separated, are also
                                accepted; default: a random key, printed at start
          --simulate RATE       also post generated events to the collector at RATE events/s
          --trigger T           the job's trigger interval (default 2s)
          --watermark D         the job's event-time watermark delay (default 10m)
          --checkpoint LOC      the job's checkpoint: a folder or an S3 prefix (default DIR/checkpoint)
          --lake LOC            the lake: a folder or an S3 prefix holding events/ and quarantine/ (default DIR/lake)
          --store LOC           the aggregate store: a SQLite file or dynamodb://TABLE (default DIR/aggregates.db)
          --sink kinesis://S    the collector puts events into Kinesis stream S and the job reads it, instead of
                                landing files in DIR/landing

        S3 and DynamoDB locations use the standard AWS settings (AWS_REGION, AWS_PROFILE or the default credential
        chain, AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_KINESIS for emulators); they are
        checked before anything starts.
        """;

    public async Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var data = Path.GetFullPath(args.String("data") ?? "data");
        var collectorPort = (int)args.Long("collector-port", 8080, 0, 65535);
        var dashboardPort = (int)args.Long("dashboard-port", 8081, 0, 65535);
        var keyText = args.String("write-key");
        var rate = args.Double("simulate", 0, 0, 1_000_000);
        var trigger = args.String("trigger") ?? "2s";
        var watermark = args.String("watermark") ?? "10m";
        var checkpointOption = args.String("checkpoint");
        var lakeOption = args.String("lake");
        var storeOption = args.String("store");
        var sinkOption = args.String("sink");
        args.EnsureAllUsed();
        if (sinkOption is not null && !KinesisNames.IsStreamLocation(sinkOption))
        {
            throw new UsageException($"--sink {sinkOption}: up takes a kinesis://STREAM sink (landing files are its default)");
        }

        var keys = ParseKeys(keyText);
        var landing = Path.Combine(data, "landing");
        var checkpoint = checkpointOption ?? Path.Combine(data, "checkpoint");
        var store = storeOption ?? Path.Combine(data, "aggregates.db");
        var lake = lakeOption ?? Path.Combine(data, "lake");
        Directory.CreateDirectory(landing);
        var console = TextWriter.Synchronized(output);

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var aws = new AwsContext();
        var collectorOptions = new CollectorOptions { SinkDirectory = landing, Port = collectorPort, WriteKeys = keys, RollAge = TimeSpan.FromSeconds(2) };
        var input = landing;
        if (sinkOption is not null)
        {
            var (sink, _) = await CollectorCommand.OpenKinesisSinkAsync(aws, sinkOption, cancellationToken);
            collectorOptions = collectorOptions with { Sink = () => sink };
            input = sinkOption;
        }

        var collector = await CollectorServer.StartAsync(collectorOptions, cancellationToken);
        DashboardServer? dashboard = null;
        try
        {
            dashboard = await DashboardServer.StartAsync(
                StoreDashboardData.Open(store, checkpoint, TimeProvider.System),
                new DashboardOptions { Address = IPAddress.Loopback, Port = dashboardPort },
                cancellationToken);

            var streamArgs = CommandLine.Parse(
                ["--input", input, "--checkpoint", checkpoint, "--store", store, "--lake", lake, "--trigger", trigger, "--watermark", watermark, "--quiet"],
                new StreamCommand().Flags);
            var stream = Task.Run(() => new StreamCommand().RunAsync(streamArgs, console, stopping.Token), CancellationToken.None);

            TrafficSimulator? simulator = null;
            var simulation = Task.CompletedTask;
            if (rate > 0)
            {
                simulator = new TrafficSimulator(collector.Url, keys[0].Key, rate, TimeProvider.System);
                simulation = Task.Run(() => simulator.RunAsync(stopping.Token), CancellationToken.None);
            }

            await console.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
                clickstream up: data in {data}
                  collector  {new Uri(collector.Url, "v1/events")}   write key{(keys.Count > 1 ? "s" : "")}: {string.Join(", ", keys.Select(k => keys.Count > 1 ? $"{k.App}={k.Key}" : k.Key))}
                  dashboard  {dashboard.Url}
                  lake       {Location.Parse("--lake", lake).Child("events")}, {Location.Parse("--lake", lake).Child("quarantine")}
                  stream     {input}
                  simulator  {(rate > 0 ? $"{rate:N0} events/s" : "off (--simulate RATE)")}
                Ctrl-C stops everything.
                """));
            await console.FlushAsync(CancellationToken.None);

            // Run until Ctrl-C, or until a part fails (then stop the rest and report it).
            var stopped = Task.Delay(Timeout.Infinite, cancellationToken);
            var first = await Task.WhenAny(stopped, stream, simulation.IsCompleted ? stopped : simulation);
            var failure = first != stopped && first.IsFaulted ? first.Exception!.GetBaseException() : null;

            await stopping.CancelAsync();
            await Quietly(simulation);
            await collector.StopAsync(CancellationToken.None);
            var streamCode = await ResultOf(stream);
            await dashboard.StopAsync(CancellationToken.None);
            if (simulator is not null)
            {
                await console.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"clickstream up: simulator posted {simulator.EventsSent:N0} events ({simulator.RequestsRetried:N0} requests retried)"));
            }

            if (failure is not null)
            {
                throw new InvalidOperationException($"clickstream up: a part of the stack failed: {failure.Message}", failure);
            }

            await console.WriteLineAsync("clickstream up: stopped");
            return streamCode;
        }
        finally
        {
            await collector.DisposeAsync();
            if (dashboard is not null)
            {
                await dashboard.DisposeAsync();
            }
        }
    }

    private static List<WriteKey> ParseKeys(string? text)
    {
        if (text is null)
        {
            return [new WriteKey("default", "local-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)))];
        }

        try
        {
            return text.Contains('=', StringComparison.Ordinal) ? [.. WriteKey.ParseList(text)] : [new WriteKey("default", text)];
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--write-key: {e.Message}");
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private static async Task<int> ResultOf(Task<int> stream)
    {
        try
        {
            return await stream;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }
}
