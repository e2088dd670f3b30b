using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Clickstream.Jobs.Tests.Support;
using Xunit.Abstractions;

namespace Clickstream.Jobs.Tests.Up;

/// <summary>
/// <c>clickstream up</c> end to end: events posted to its real collector (some requests sent twice, as a client
/// retrying after a lost answer would) end up in exactly the store that the same events read from files produce;
/// the retried copies only show as duplicates. SIGTERM stops the whole stack cleanly.
/// </summary>
public sealed class UpTests(ITestOutputHelper output)
{
    private const int EventsPerRequest = 100;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task EventsPostedToTheCollector_GiveTheStoreTheSameEventsReadFromFilesGive()
    {
        using var folder = new TempFolder("up");
        var input = folder.PathOf("input");
        await JobCommands.GenerateAsync("--out", input, "--events", "12000", "--files", "2", "--seed", "21", "--late-rate", "0", "--invalid-rate", "0.01");
        var lines = EventFiles.InJobOrder(input).SelectMany(EventFiles.ReadLines).Select(l => l.Bytes).ToList();

        var data = folder.PathOf("data");
        using var up = ClickstreamProgram.Start("up", "--data", data, "--collector-port", "0", "--dashboard-port", "0", "--write-key", "tests=k-123", "--trigger", "1s");
        var stderr = up.StandardError.ReadToEndAsync();
        var collector = await ProgramProcess.ReadCollectorUrlAsync(up, Timeout);

        using var http = new HttpClient { BaseAddress = collector };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "k-123");
        long retried = 0;
        long retriedInvalid = 0;
        var requests = lines.Chunk(EventsPerRequest).ToList();
        for (var i = 0; i < requests.Count; i++)
        {
            await ProgramProcess.PostAsync(http, requests[i]);
            if (i % 10 == 3)
            {
                await ProgramProcess.PostAsync(http, requests[i]); // the client never saw the 202 and retries the same events
                retried += requests[i].Length;
                retriedInvalid += requests[i].Count(l => Clickstream.Jobs.Tests.Streaming.ReferenceParser.Parse(l).Event is null);
            }
        }

        // Wait until the job has read every posted line (the collector publishes its file within 2 s).
        var checkpoint = Path.Combine(data, "checkpoint");
        var posted = lines.Count + retried;
        var clock = Stopwatch.StartNew();
        while (ReadRows(checkpoint) < posted && clock.Elapsed < Timeout)
        {
            await Task.Delay(250);
        }

        Assert.Equal(posted, ReadRows(checkpoint));
        using (var kill = Process.Start("kill", ["-TERM", up.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await up.WaitForExitAsync();
        var stdout = await up.StandardOutput.ReadToEndAsync();
        output.WriteLine(stdout);
        Assert.True(up.ExitCode == 0, await stderr);
        Assert.Contains("clickstream up: stopped", stdout, StringComparison.Ordinal);

        // The same events read from the files.
        var reference = folder.PathOf("reference.db");
        await JobCommands.RunAsync(new Clickstream.Jobs.Streaming.StreamCommand(), "--input", input, "--checkpoint", folder.PathOf("reference-checkpoint"), "--store", reference, "--trigger", "available-now", "--quiet");

        var now = DateTimeOffset.UtcNow.AddDays(-1);
        var expectedLines = ExportLines.Split(await JobCommands.ExportTextAsync(reference), now);
        var actualLines = ExportLines.Split(await JobCommands.ExportTextAsync(Path.Combine(data, "aggregates.db")), now);
        var (expected, actual) = (Rows(expectedLines.Deterministic), Rows(actualLines.Deterministic));
        Assert.True(expected.Count > 500, $"the reference store has {expected.Count} rows");
        foreach (var metric in new[] { "events", "duplicates", "invalid", "late" })
        {
            output.WriteLine($"{metric}: reference {expected.Where(r => r.Metric == metric).Sum(r => r.Value)}, up {actual.Where(r => r.Metric == metric).Sum(r => r.Value)}");
        }

        output.WriteLine($"retried {retried} lines, {retriedInvalid} of them invalid; posted {posted}");

        // Retried copies of valid events are duplicates; retried invalid lines are quarantined (and counted) again.
        static bool Exact(ExportRow r) => r.Metric is not ("duplicates" or "invalid");
        Assert.Equal(expected.Where(Exact).Select(r => r.ToString()), actual.Where(Exact).Select(r => r.ToString()));
        Assert.Equal(expected.Where(r => r.Metric == "duplicates").Sum(r => r.Value) + retried - retriedInvalid, actual.Where(r => r.Metric == "duplicates").Sum(r => r.Value));
        static long Invalid(List<ExportRow> rows, ExportLines lines) => rows.Where(r => r.Metric == "invalid").Sum(r => r.Value) + lines.InvalidAtProcessingTime;
        Assert.Equal(Invalid(expected, expectedLines) + retriedInvalid, Invalid(actual, actualLines));

        // Every valid event is in the lake once.
        var (_, events) = await LakeReader.ReadAsync(Path.Combine(data, "lake", "events"));
        var ids = events.Select(r => (string)r["event_id"]!).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(events.Take(100), r => Assert.NotNull(r["received_at"]));
    }

    private static List<ExportRow> Rows(IReadOnlyList<string> lines) => [.. lines.Select(ExportRow.Parse).OrderBy(r => r.ToString(), StringComparer.Ordinal)];

    private static long ReadRows(string checkpoint) =>
        File.Exists(Path.Combine(checkpoint, "progress.ndjson")) ? CheckpointReader.ReportedInputRows(checkpoint) : 0;
}
