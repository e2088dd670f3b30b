using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Amazon.S3;
using Clickstream.Jobs.Streaming;
using Clickstream.Jobs.Tests.Support;
using Xunit.Abstractions;

namespace Clickstream.Jobs.Tests.Aws;

/// <summary>
/// <c>clickstream up</c> with its checkpoint and lake on S3 and its store in DynamoDB: events posted to the collector
/// reach the DynamoDB store exactly as the same events read from files reach SQLite, each valid event is in the S3
/// lake once, and SIGTERM stops the stack cleanly.
/// </summary>
public sealed class AwsUpTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Up_OnS3AndDynamoDb_StoresWhatTheSameFilesGive(bool throughKinesis)
    {
        using var folder = new TempFolder("aws-up");
        var input = folder.PathOf("input");
        await JobCommands.GenerateAsync("--out", input, "--events", "6000", "--files", "1", "--seed", "31", "--late-rate", "0", "--invalid-rate", "0.01", "--duplicate-rate", "0");
        var lines = EventFiles.InJobOrder(input).SelectMany(EventFiles.ReadLines).Select(l => l.Bytes).ToList();
        var (bucket, table) = await AwsTestEnvironment.CreateAsync("up");
        string[] sink = [];
        if (throughKinesis)
        {
            // The collector puts the events into Kinesis and the job reads them from there.
            await JobCommands.RunAsync(new Clickstream.Jobs.AwsSetup.AwsCommand(), "init", "--stream", bucket, "--shards", "3");
            sink = ["--sink", $"kinesis://{bucket}"];
        }

        using var up = ClickstreamProgram.Start(
            ["up", "--data", folder.PathOf("data"), "--collector-port", "0", "--dashboard-port", "0", "--write-key", "tests=k-9", "--trigger", "1s",
            "--checkpoint", $"s3://{bucket}/checkpoint", "--lake", $"s3://{bucket}/lake", "--store", $"dynamodb://{table}", .. sink]);
        var stderr = up.StandardError.ReadToEndAsync();
        var collector = await ProgramProcess.ReadCollectorUrlAsync(up, Timeout);
        using (var http = new HttpClient { BaseAddress = collector })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "k-9");
            foreach (var request in lines.Chunk(200))
            {
                await ProgramProcess.PostAsync(http, request);
            }
        }

        // Wait until the job has read every posted line, as its progress reports on S3 say.
        using var s3 = AwsTestEnvironment.S3();
        var clock = Stopwatch.StartNew();
        long read;
        while ((read = await ReportedRowsAsync(s3, bucket)) < lines.Count && clock.Elapsed < Timeout)
        {
            await Task.Delay(250);
        }

        Assert.Equal(lines.Count, read);
        using (var kill = Process.Start("kill", ["-TERM", up.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await up.WaitForExitAsync();
        var stdout = await up.StandardOutput.ReadToEndAsync();
        output.WriteLine(stdout);
        Assert.True(up.ExitCode == 0, await stderr);
        Assert.Contains("clickstream up: stopped", stdout, StringComparison.Ordinal);
        Assert.Contains($"s3://{bucket}/lake/events", stdout, StringComparison.Ordinal);
        Assert.Contains(throughKinesis ? $"stream     kinesis://{bucket}" : "stream     " + folder.PathOf("data"), stdout, StringComparison.Ordinal);

        await JobCommands.RunAsync(new StreamCommand(), "--input", input, "--checkpoint", folder.PathOf("reference-checkpoint"), "--store", folder.PathOf("reference.db"), "--trigger", "available-now", "--quiet");
        var since = DateTimeOffset.UtcNow.AddDays(-1);
        var expected = ExportLines.Split(await JobCommands.ExportTextAsync(folder.PathOf("reference.db")), since);
        var actual = ExportLines.Split(await JobCommands.ExportTextAsync($"dynamodb://{table}"), since);
        Assert.True(expected.Deterministic.Count > 200, $"the reference store has {expected.Deterministic.Count} rows");
        static List<string> Sorted(IReadOnlyList<string> rows) => [.. rows.Where(r => !r.Contains("\"invalid\"", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        Assert.Equal(Sorted(expected.Deterministic), Sorted(actual.Deterministic));

        var lake = await AwsTestEnvironment.MirrorAsync(bucket, "lake", folder.PathOf("mirror-lake"));
        var (_, events) = await LakeReader.ReadAsync(Path.Combine(lake, "events"));
        var ids = events.Select(r => (string)r["event_id"]!).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(expected.Deterministic.Where(r => r.Contains("\"metric\":\"events\"", StringComparison.Ordinal)).Sum(r => ExportRow.Parse(r).Value), ids.Count);
    }

    private static async Task<long> ReportedRowsAsync(IAmazonS3 s3, string bucket)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, "checkpoint/progress.ndjson");
            using var reader = new StreamReader(response.ResponseStream);
            var text = await reader.ReadToEndAsync();
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Sum(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("numInputRows").GetInt64());
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return 0;
        }
    }
}
