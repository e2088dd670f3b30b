using Cli = Clickstream.Jobs.Cli;

namespace Clickstream.Benchmarks.Load;

/// <summary>Options of the <c>load</c> mode.</summary>
internal sealed record LoadOptions(
    Uri? Url,
    string WriteKey,
    int Connections,
    TimeSpan Duration,
    TimeSpan Warmup,
    int EventsPerRequest,
    bool Gzip,
    string? Sink,
    bool HelpRequested)
{
    public const string Usage = """
        usage: Clickstream.Benchmarks load [options]

        Posts NDJSON requests of synthetic shop events to a collector from N concurrent connections for a fixed
        time and reports accepted events/s and request latency (p50/p90/p99/max). Without --url it starts the
        collector in this process on 127.0.0.1 (a free port) over a temporary landing folder, and also reports
        the group commits (events per fsync).

          --url URL              target a running collector instead, e.g. http://127.0.0.1:8080/
          --write-key K          the key to present (default: the in-process collector's own key)
          --connections N        concurrent connections, each with one request in flight (default 32)
          --duration S           measured seconds (default 10)
          --warmup S             seconds of load before measuring (default 3)
          --events-per-request N events per request (default 100)
          --gzip                 gzip the request bodies
          --sink DIR             landing folder of the in-process collector (default: a temporary folder, deleted)
        """;

    public static LoadOptions Parse(string[] args)
    {
        var cl = Cli.CommandLine.Parse(args, new HashSet<string>(StringComparer.Ordinal) { "gzip" });
        var url = cl.String("url");
        var options = new LoadOptions(
            url is null ? null : new Uri(url.EndsWith('/') ? url : url + "/"),
            cl.String("write-key") ?? LoadHarness.InProcessKey,
            (int)cl.Long("connections", 32, 1, 4096),
            TimeSpan.FromSeconds(cl.Double("duration", 10, 0.1, 3600)),
            TimeSpan.FromSeconds(cl.Double("warmup", 3, 0, 3600)),
            (int)cl.Long("events-per-request", 100, 1, 500),
            cl.Flag("gzip"),
            cl.String("sink"),
            cl.HelpRequested);
        cl.EnsureAllUsed();
        return options;
    }
}
