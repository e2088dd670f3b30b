using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Clickstream.Benchmarks.EndToEnd;
using Clickstream.Collector;
using Clickstream.Jobs.Cli;

namespace Clickstream.Benchmarks.Load;

/// <summary>
/// The collector load generator: N workers share one connection pool of N connections, each posting one request
/// at a time (closed loop), for the warm-up and then the measured period. Only 202 answers count as accepted.
/// </summary>
internal static class LoadHarness
{
    public const string InProcessKey = "load-bench-key";

    public static int Run(string[] args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"load: {e.Message}");
            Console.Error.WriteLine();
            Console.Error.WriteLine(LoadOptions.Usage);
            return 2;
        }

        if (options.HelpRequested)
        {
            Console.WriteLine(LoadOptions.Usage);
            return 0;
        }

        return RunAsync(options).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(LoadOptions options)
    {
        var sink = options.Sink ?? Path.Combine(Path.GetTempPath(), "clickstream-load-" + Guid.NewGuid().ToString("N")[..8]);
        CollectorServer? server = null;
        try
        {
            if (options.Url is null)
            {
                server = await CollectorServer.StartAsync(new CollectorOptions
                {
                    SinkDirectory = sink,
                    Port = 0,
                    WriteKeys = [new WriteKey("load", InProcessKey)],
                });
            }

            var url = options.Url ?? server!.Url;
            Console.WriteLine($"load: {options.Connections} connections × {options.EventsPerRequest} events/request{(options.Gzip ? " (gzip)" : "")} → {url}v1/events, {options.Warmup.TotalSeconds:F0} s warm-up + {options.Duration.TotalSeconds:F0} s");
            Console.WriteLine($"load: machine {MachineInfo.Describe()}");
            var result = await DriveAsync(options, url);
            Report(options, result, server);
            return result.Failures > 0 && result.Accepted == 0 ? 1 : 0;
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            if (options.Sink is null && Directory.Exists(sink))
            {
                Directory.Delete(sink, recursive: true);
            }
        }
    }

    private static async Task<LoadResult> DriveAsync(LoadOptions options, Uri url)
    {
        var bodies = LoadPayloads.Build(options.EventsPerRequest, options.Gzip);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.WriteKey);
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Clickstream.Benchmarks/1.0");

        var measuring = 0;
        var stop = 0;
        var workers = new Task<WorkerStats>[options.Connections];
        for (var w = 0; w < workers.Length; w++)
        {
            var offset = w;
            workers[w] = Task.Run(async () =>
            {
                var stats = new WorkerStats();
                var i = offset;
                while (Volatile.Read(ref stop) == 0)
                {
                    var content = new ByteArrayContent(bodies[i++ % bodies.Length]);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                    if (options.Gzip)
                    {
                        content.Headers.ContentEncoding.Add("gzip");
                    }

                    var started = Stopwatch.GetTimestamp();
                    HttpStatusCode status;
                    try
                    {
                        using var response = await client.PostAsync("v1/events", content);
                        await response.Content.LoadIntoBufferAsync();
                        status = response.StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        status = 0;
                    }
                    catch (TaskCanceledException)
                    {
                        status = 0;
                    }

                    if (Volatile.Read(ref measuring) == 1 && Volatile.Read(ref stop) == 0)
                    {
                        stats.Record(status == HttpStatusCode.Accepted, Stopwatch.GetTimestamp() - started, options.EventsPerRequest);
                    }
                }

                return stats;
            });
        }

        await Task.Delay(options.Warmup);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        await Task.Delay(options.Duration);
        Volatile.Write(ref stop, 1);
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var all = await Task.WhenAll(workers);
        return LoadResult.Combine(all, elapsed, cpu);
    }

    private static void Report(LoadOptions options, LoadResult r, CollectorServer? server)
    {
        var seconds = r.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load: accepted {r.Accepted:N0} events in {seconds:F1} s = {r.Accepted / seconds:N0} events/s ({r.Requests / seconds:N0} requests/s); failed requests {r.Failures:N0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load: latency p50 {r.Percentile(0.50):F2} ms, p90 {r.Percentile(0.90):F2} ms, p99 {r.Percentile(0.99):F2} ms, max {r.Percentile(1.0):F2} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load: process CPU {r.Cpu.TotalSeconds / seconds:F2} of {Environment.ProcessorCount} cores ({(options.Url is null ? "collector and load generator together" : "load generator only")}); load average {LoadAverage()}"));
        if (server is not null)
        {
            var fsyncs = server.Metrics.Flushes;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load: group commit: {fsyncs:N0} fsyncs for {server.Metrics.AcceptedEvents:N0} events in the whole run (≈{server.Metrics.AcceptedEvents / (double)Math.Max(1, fsyncs):F0} events per fsync)"));
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "n/a";
}
