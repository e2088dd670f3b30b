using Clickstream.Aws.Kinesis;
using Clickstream.Collector;
using Clickstream.Jobs.Cli;
using Clickstream.Jobs.Locations;

namespace Clickstream.Jobs.Collector;

/// <summary><c>clickstream collector</c>: the ingestion API on its own, landing events for <c>clickstream stream</c>.</summary>
internal sealed class CollectorCommand : ICommand
{
    /// <summary>Write keys may also come from the environment, so they stay out of process listings.</summary>
    public const string WriteKeysVariable = "CLICKSTREAM_WRITE_KEYS";

    public string Name => "collector";

    public string Summary => "run the HTTP collector, landing events as NDJSON files for the stream job";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string>(StringComparer.Ordinal);

    public string Usage => """
        usage: clickstream collector --write-key APP=KEY[,APP=KEY...] [--sink DIR|kinesis://STREAM] [--port P] [--host ADDR]
                                     [--roll-mb N] [--roll-seconds S] [--allowed-origins URL[,URL...]]

        Serves POST /v1/events (JSON array or NDJSON, optionally gzip; Authorization: Bearer KEY), /healthz,
        /readyz and /metrics. An answer of 202 means the events are fsync'd in the landing folder; files are
        published there under visible names by an atomic rename, ready for `clickstream stream --input DIR`.
        Ctrl-C stops cleanly: in-flight requests finish and the open file is published.

          --write-key K       app=key pairs, comma-separated; or set CLICKSTREAM_WRITE_KEYS (both are merged)
          --sink DIR          landing folder (default ./landing)
          --sink kinesis://S  put the events into Kinesis stream S instead (partition key user_id, events of
                              one user packed into one record); 202 then means every event is in Kinesis
          --port P            TCP port (default 8080; 0 picks a free one)
          --host ADDR         address to bind (default 127.0.0.1)
          --roll-mb N         publish the open file at this size (default 64)
          --roll-seconds S    publish the open file this long after its first event (default 5)
          --allowed-origins   browser origins allowed by CORS (default: any origin; the write key still applies)
        """;

    public async Task<int> RunAsync(CommandLine args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = ReadOptions(args, Environment.GetEnvironmentVariable(WriteKeysVariable));
        using var aws = new AwsContext();
        var destination = $"landing files in {Path.GetFullPath(options.SinkDirectory)}";
        if (KinesisNames.IsStreamLocation(options.SinkDirectory))
        {
            var (sink, summary) = await OpenKinesisSinkAsync(aws, options.SinkDirectory, cancellationToken);
            options = options with { Sink = () => sink };
            destination = $"events to {options.SinkDirectory} ({summary.OpenShardCount} open shards)";
        }

        await using var server = await StartAsync(options, cancellationToken);
        var apps = string.Join(", ", options.WriteKeys.Select(k => k.App).Distinct(StringComparer.Ordinal));
        await output.WriteLineAsync($"collector listening on {server.Url} (apps: {apps}); {destination}");
        await output.FlushAsync(CancellationToken.None);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM: a normal stop.
        }

        await server.StopAsync(CancellationToken.None);
        await output.WriteLineAsync(options.Sink is null ? "collector stopped; open landing file published" : "collector stopped; every accepted event is in Kinesis");
        return 0;
    }

    /// <summary>Checks the stream (one line naming it otherwise, before the port is bound) and makes the Kinesis sink.</summary>
    internal static async Task<(KinesisEventSink Sink, KinesisStreamSummary Summary)> OpenKinesisSinkAsync(AwsContext aws, string location, CancellationToken cancellationToken)
    {
        var (client, stream, summary) = await KinesisLocation.OpenAsync(aws, location, cancellationToken);
        return (new KinesisEventSink(new KinesisLineProducer(client, stream)), summary);
    }

    internal static CollectorOptions ReadOptions(CommandLine args, string? environmentKeys)
    {
        var keys = new List<WriteKey>();
        try
        {
            if (args.String("write-key") is { } fromArgs)
            {
                keys.AddRange(WriteKey.ParseList(fromArgs));
            }

            if (!string.IsNullOrWhiteSpace(environmentKeys))
            {
                keys.AddRange(WriteKey.ParseList(environmentKeys));
            }
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        var origins = args.String("allowed-origins");
        var options = new CollectorOptions
        {
            SinkDirectory = args.String("sink") ?? "landing",
            Port = (int)args.Long("port", 8080, 0, 65535),
            Host = args.String("host") ?? "127.0.0.1",
            WriteKeys = keys,
            RollBytes = args.Long("roll-mb", 64, 1, 4096) * 1024 * 1024,
            RollAge = TimeSpan.FromSeconds(args.Double("roll-seconds", 5, 0.05, 86_400)),
            AllowedOrigins = origins is null ? [] : origins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            ConsoleLogging = true,
        };
        args.EnsureAllUsed();
        if (keys.Count == 0)
        {
            throw new UsageException($"at least one write key is required: --write-key app=key or {WriteKeysVariable}");
        }

        if (!System.Net.IPAddress.TryParse(options.Host, out _))
        {
            throw new UsageException($"option --host must be an IP address, got '{options.Host}'");
        }

        return options;
    }

    private static async Task<CollectorServer> StartAsync(CollectorOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await CollectorServer.StartAsync(options, cancellationToken);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
