using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Clickstream.Aws;
using Clickstream.Aws.Kinesis;
using Clickstream.Jobs.Tests.Support;

namespace Clickstream.Jobs.Tests.Aws;

/// <summary><c>clickstream collector --sink kinesis://STREAM</c> as a process, on kinesalite.</summary>
public sealed partial class CollectorKinesisTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Collector_PutsEveryAcceptedEventIntoKinesisOnce_PackedByUser()
    {
        AwsTestEnvironment.Ensure();
        using var kinesis = new KinesisClient(AwsSettings.FromEnvironment(), new AwsRetry(TimeProvider.System, TimeSpan.FromSeconds(30)));
        var stream = "collector-" + Guid.NewGuid().ToString("N")[..12];
        await kinesis.CreateStreamAsync(stream, 4);
        await kinesis.WaitUntilActiveAsync(stream, TimeSpan.FromSeconds(30));
        using var folder = new TempFolder("collector-kinesis");
        await JobCommands.GenerateAsync("--out", folder.PathOf("input"), "--events", "4000", "--files", "1", "--seed", "5");
        var lines = EventFiles.InJobOrder(folder.PathOf("input")).SelectMany(EventFiles.ReadLines).Select(l => l.Bytes).ToList();

        using var collector = ClickstreamProgram.Start("collector", "--sink", $"kinesis://{stream}", "--port", "0", "--write-key", "web=k-1");
        var stderr = collector.StandardError.ReadToEndAsync();
        var started = await collector.StandardOutput.ReadLineAsync() ?? "";
        var url = ListeningLine().Match(started);
        if (!url.Success)
        {
            Assert.Fail($"the collector did not start: {started} {await stderr}");
        }

        Assert.Contains($"events to kinesis://{stream} (4 open shards)", started, StringComparison.Ordinal);
        string metrics;
        using (var http = new HttpClient { BaseAddress = new Uri(url.Groups[1].Value), Timeout = TimeSpan.FromSeconds(30) })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "k-1");

            // Concurrent requests, as many browsers send them: their events share PutRecords calls and records.
            await Parallel.ForEachAsync(lines.Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, _) => await ProgramProcess.PostAsync(http, request));
            metrics = await http.GetStringAsync("metrics");
        }

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", collector.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        Assert.True(await ProgramProcess.ExitsWithinAsync(collector, (int)Timeout.TotalMilliseconds));
        Assert.Equal(0, collector.ExitCode);
        Assert.Contains("every accepted event is in Kinesis", await collector.StandardOutput.ReadToEndAsync(), StringComparison.Ordinal);

        var records = await KinesisReader.ReadAllAsync(kinesis, stream);
        var stored = records.SelectMany(r => Encoding.UTF8.GetString(r.Data).Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(lines.Count, stored.Count);

        // Every line the client sent is stored once, with the collector's stamps; valid events under their user.
        Assert.Equal(lines.Select(EventId).Order(), stored.Select(EventId).Order());
        Assert.All(stored.Where(s => s.StartsWith('{')).Take(50), s => Assert.Contains("\"received_at\":", s, StringComparison.Ordinal));
        Assert.True(records.Count < lines.Count, $"{records.Count} records for {lines.Count} events");
        Assert.Contains($"clickstream_collector_kinesis_events_total {lines.Count}", metrics, StringComparison.Ordinal);
        Assert.Contains($"clickstream_collector_kinesis_records_total {records.Count}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collector_OnAMissingStream_FailsAtStartWithOneLine()
    {
        AwsTestEnvironment.Ensure();
        var (code, stdout, stderr) = await ClickstreamProgram.RunAsync(Timeout, "collector", "--sink", "kinesis://no-such-stream", "--port", "0", "--write-key", "web=k-1");
        Assert.NotEqual(0, code);
        Assert.DoesNotContain("listening", stdout, StringComparison.Ordinal);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("kinesis://no-such-stream: the stream no-such-stream does not exist (create it with `clickstream aws init --stream no-such-stream`", line, StringComparison.Ordinal);
    }

    /// <summary>A line without what the collector adds (an object's members but its stamps; anything else as it is).</summary>
    private static string EventId(byte[] line) => EventId(Encoding.UTF8.GetString(line));

    private static string EventId(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return string.Join(",", document.RootElement.EnumerateObject()
                    .Where(p => p.Name is not ("received_at" or "client_ip" or "user_agent"))
                    .Select(p => p.Name + "=" + p.Value.GetRawText()));
            }
        }
        catch (JsonException)
        {
            // Not JSON: stored as sent.
        }

        return "raw:" + line.Trim();
    }

    [GeneratedRegex(@"collector listening on (http://[^\s]+/)")]
    private static partial Regex ListeningLine();
}
